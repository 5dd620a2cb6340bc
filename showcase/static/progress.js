// The organizers' progress page stays current: each time the stream says the sheets moved, the
// page fetches its tables again (rendered by the server) and puts them in place.
(function () {
  "use strict";

  var body = document.getElementById("progress-body");
  if (!body || !window.EventSource) return;
  var fetching = false;

  function refresh() {
    if (fetching) return;
    fetching = true;
    window.fetch(body.dataset.part, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html !== null) {
          body.innerHTML = html;
          body.dataset.updated = String(Date.now());
        }
      })
      .finally(function () { fetching = false; });
  }

  var source = new window.EventSource(body.dataset.stream);
  var first = true;
  source.addEventListener("progress", function () {
    if (first) { first = false; return; }  // the page is as current as the first event
    refresh();
  });
})();
