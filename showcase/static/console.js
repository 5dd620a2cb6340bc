// The console's ranking method form: only the chosen method's parameters are shown, so the
// method and its parameters are set in one step. Without scripts every method's show, each
// under its own heading, and the server reads only the chosen one's.

function showParametersOf(select) {
  document.querySelectorAll(".method-params").forEach(function (fieldset) {
    var chosen = fieldset.dataset.method === select.value;
    fieldset.hidden = !chosen;
    fieldset.disabled = !chosen;
  });
}

var select = document.querySelector(".method-form select[name=method]");
if (select) {
  showParametersOf(select);
  select.addEventListener("change", function () {
    showParametersOf(select);
  });
}
