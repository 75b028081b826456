// Behaviour shared by every page, kept out of the markup so that the Content-Security-Policy
// allows no inline script: a filter <select data-autosubmit> sends its form when it changes.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});

// A form sent back with errors: the summary at its top takes the focus, so that a keyboard or
// screen-reader user starts from the list of what to correct (each entry links to its field).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary instanceof HTMLElement) {
    summary.focus();
  }
});
