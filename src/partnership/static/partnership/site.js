// Behaviour shared by every page, kept out of the markup so that the Content-Security-Policy
// allows no inline script: a filter <select data-autosubmit> sends its form when it changes.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
