// The live leaderboard: the stream pushes each new board (EventSource), rows move to their new
// places, and polling takes over where streams are blocked. The projector view shows the top 10
// of each track in turn.
import { el, say } from "/static/common.js";

(function () {

  var section = document.getElementById("board");
  if (!section) return;
  var text = section.dataset;
  var stateBadge = document.getElementById("live-state");
  var updated = document.getElementById("updated");
  var projector = text.projector === "true";
  var POLL_MS = 5000;
  var ROTATE_MS = Number(text.rotateMs) || 12000;
  var boards = {};
  var updatedAt = {};
  var spotlit = null;

  function setState(state) {
    stateBadge.dataset.state = state;
    stateBadge.textContent = { live: text.live, offline: text.offline, polling: text.polling }[state] || "";
  }

  var AWARDS = ["first", "second", "third", "track"];

  function awardLabel(entry) {
    var labels = text.awards.split("|");
    var name = trackNames[entry.track] || entry.track;
    return say(labels[AWARDS.indexOf(entry.award)], { track: name });
  }

  // In the final reveal, the award place just uncovered takes the stage above the table.
  function spotlight(entry) {
    var box = el("div", "spotlight award-" + entry.award);
    box.setAttribute("role", "status");
    box.appendChild(el("p", "spotlight-award", awardLabel(entry)));
    box.appendChild(el("p", "spotlight-title", entry.title));
    box.appendChild(el("p", "spotlight-team", entry.team));
    if (entry.code !== spotlit) box.classList.add("arriving");
    spotlit = entry.code;
    return box;
  }

  function row(entry) {
    var tr = el("tr");
    tr.dataset.code = entry.code;
    tr.appendChild(el("td", "rank", entry.rank === null ? "–" : String(entry.rank)));
    var cell = el("td");
    var link = el("a");
    link.href = "/entries/" + encodeURIComponent(entry.code);
    link.appendChild(el("strong", "", entry.title));
    cell.appendChild(link);
    cell.appendChild(el("br"));
    cell.appendChild(el("span", "muted", entry.team));
    if (entry.too_close) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(el("span", "close-call", text.close));
    }
    if (entry.award) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(el("span", "award award-" + entry.award, awardLabel(entry)));
    }
    tr.appendChild(cell);
    tr.appendChild(el("td", "num score", entry.score === null ? text.notScored : entry.score.toFixed(2)));
    tr.appendChild(el("td", "num judges-col", String(entry.judges)));
    return tr;
  }

  function render(board) {
    var before = {};
    section.querySelectorAll("tr[data-code]").forEach(function (tr) {
      before[tr.dataset.code] = { top: tr.getBoundingClientRect().top, html: tr.textContent };
    });
    section.replaceChildren();
    section.dataset.version = board.version;
    if (board.visibility === "frozen") section.appendChild(el("p", "notice frozen-note", text.frozen));
    if (board.visibility === "hidden") {
      section.appendChild(el("p", "notice", text.hidden));
      return;
    }
    var spot = board.visibility === "final" && board.standings.length && board.standings[0].award;
    var standings = projector ? board.standings.slice(0, spot ? 7 : 10) : board.standings;
    if (!standings.length) {
      section.appendChild(el("p", "empty", text.empty));
      return;
    }
    if (spot) section.appendChild(spotlight(standings[0]));
    // Settled: rank ranges computed, and no prize place in doubt.
    var ranged = board.standings.some(function (entry) { return entry.rank_range; });
    var doubt = board.standings.some(function (entry) { return entry.too_close; });
    if (board.visibility !== "final" && ranged && !doubt) {
      section.appendChild(el("p", "notice settled-note", text.settled));
    }
    var table = el("table", "standings");
    var head = el("thead");
    var headRow = el("tr");
    var labels = text.headers.split("|");
    ["rank", "", "num", "num judges-col"].forEach(function (className, i) {
      var th = el("th", className, labels[i]);
      th.scope = "col";
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = el("tbody");
    standings.forEach(function (entry) { body.appendChild(row(entry)); });
    table.appendChild(body);
    section.appendChild(table);
    // Rows that moved slide from where they were; rows that changed flash.
    body.querySelectorAll("tr").forEach(function (tr) {
      var was = before[tr.dataset.code];
      if (!was) return;
      var shift = was.top - tr.getBoundingClientRect().top;
      if (shift) {
        tr.style.transform = "translateY(" + shift + "px)";
        tr.getBoundingClientRect();
        tr.classList.add("moving");
        tr.style.transform = "";
      }
      if (was.html !== tr.textContent) tr.classList.add("changed");
    });
  }

  function receive(board) {
    var track = board.track || "";
    if (tracks.indexOf(track) < 0) tracks.push(track);  // a track added since the page loaded
    boards[track] = board;
    updatedAt[track] = Date.now();
    if (projector && board.visibility === "final" && shownTrack() !== "") {
      show(0);  // the reveal starts: the projector holds the overall board at once
    } else if (track === shownTrack()) {
      render(board);
    }
    tick();
  }

  function tick() {
    var at = updatedAt[shownTrack()];
    updated.textContent = at ? say(text.ago, { seconds: Math.round((Date.now() - at) / 1000) }) : "";
  }

  function url(base, track) {
    return base + (track ? "?track=" + encodeURIComponent(track) : "");
  }

  // Where streams are blocked (a proxy, a firewall): every board this page shows, fetched in turn.
  function poll() {
    setState("polling");
    function once() {
      tracks.forEach(function (track) {
        window.fetch(url("/api/leaderboard", track), { cache: "no-store" })
          .then(function (answer) { return answer.ok ? answer.json() : null; })
          .then(function (board) { if (board && board.standings) receive(board); })
          .catch(function () { setState("offline"); });
      });
    }
    once();
    window.setInterval(once, POLL_MS);
  }

  // One connection, whatever the number of tracks: the projector's stream carries every board.
  function listen() {
    if (!window.EventSource) return poll();
    var failures = 0;
    var source = new window.EventSource(url("/api/leaderboard/stream", projector ? "*" : text.track));
    source.addEventListener("leaderboard", function (event) {
      failures = 0;
      setState("live");
      receive(JSON.parse(event.data));
    });
    source.onerror = function () {
      failures += 1;
      setState("offline");
      if (failures >= 3) {
        source.close();
        poll();
      }
    };
  }

  var slugs = JSON.parse(text.tracks || "[]");
  var trackNames = JSON.parse(text.trackNames || "{}");
  var tracks = projector ? [""].concat(slugs) : [text.track];
  var title = document.getElementById("projector-track");
  var turn = 0;

  function shownTrack() { return tracks[turn % tracks.length]; }

  // The projector's heading always names the board whose rows it shows.
  function show(next) {
    turn = next;
    var track = shownTrack();
    title.textContent = track ? trackNames[track] || track : text.overall;
    if (boards[track]) render(boards[track]);
    else section.replaceChildren(el("p", "empty", text.empty));
    tick();
  }

  listen();
  window.setInterval(tick, 1000);
  if (projector) {
    window.setInterval(function () {
      if (boards[""] && boards[""].visibility === "final") return;  // the reveal holds the overall board
      if (tracks.length > 1) show((turn + 1) % tracks.length);
    }, ROTATE_MS);
  }
})();
