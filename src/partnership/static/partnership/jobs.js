// A prepared file's or an import's page: asks for its progress every second until it is ready or failed.
(function () {
  "use strict";
  const box = document.querySelector("[data-job-status]");
  if (!box) return;
  const url = box.getAttribute("data-job-status");
  const field = (name) => box.querySelector('[data-field="' + name + '"]');
  const bar = box.querySelector("progress");
  function show(state) {
    field("status_label").textContent = state.status_label;
    field("step").textContent = state.step;
    bar.value = state.progress;
    bar.textContent = state.progress + "%";
    const error = field("error");
    error.textContent = state.error;
    error.hidden = !state.error;
    // An import has no file to download: its page shows what it saved instead.
    const download = field("download");
    if (download) download.hidden = !state.download;
    return state.status === "done" || state.status === "failed" || state.status === "expired";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((state) => {
        if (show(state)) {
          // The retry button and the download's expiry come with the page itself.
          if (state.status === "failed" || state.status === "done") window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  if (bar.value < 100 && !field("error").textContent.trim()) window.setTimeout(poll, 1000);
})();
