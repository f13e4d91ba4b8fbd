// The export page's "Välj alla" checkbox ticks or clears every column of the export. Bound here instead of
// django-import-export's inline onchange="…", which the Content-Security-Policy blocks.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("input.select-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", () => {
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((checkbox) => {
      checkbox.checked = toggle.checked;
    });
  });
});
