(function () {
  "use strict";
  var table = document.getElementById("findings");
  var controls = document.getElementById("controls");
  if (!table || !controls) {
    return;
  }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-severity]"));
  var boxes = Array.prototype.slice.call(controls.querySelectorAll("input[data-filter]"));
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");

  function selected(filter) {
    var values = new Set();
    boxes.forEach(function (box) {
      if (box.getAttribute("data-filter") === filter && box.checked) {
        values.add(box.value);
      }
    });
    return values;
  }

  function apply() {
    var severities = selected("severity");
    var entities = selected("entity");
    var query = search.value.trim().toLowerCase();
    var visible = 0;
    rows.forEach(function (row) {
      var show = severities.has(row.getAttribute("data-severity")) &&
        entities.has(row.getAttribute("data-entity")) &&
        (query === "" || row.textContent.toLowerCase().indexOf(query) !== -1);
      row.hidden = !show;
      if (show) {
        visible += 1;
      }
    });
    shown.textContent = visible + " of " + rows.length + " findings shown";
    noMatch.hidden = visible !== 0;
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", apply);
  });
  search.addEventListener("input", apply);
  controls.hidden = false;
  apply();
})();
