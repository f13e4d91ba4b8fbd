// The review desk's "Markera alla" per group also ticks the group's rows (and, for an organisation, its
// tables' own "Alla"), so the coordinator sees what is chosen. Without this script the group's checkbox still
// works: the server approves every item of a ticked group. A file, not inline script: the CSP blocks those.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-select-group]").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      const group = toggle.dataset.selectGroup;
      document.querySelectorAll("input[data-groups]").forEach((box) => {
        if (box.dataset.groups.split(" ").includes(group)) {
          box.checked = toggle.checked;
        }
      });
      if (toggle.closest(".group-select")) {
        toggle.closest("section").querySelectorAll("thead input[data-select-group]").forEach((box) => {
          box.checked = toggle.checked;
        });
      }
    });
  });
});
