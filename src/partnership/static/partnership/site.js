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

// The menu on a small screen: a disclosure button shows and hides the links and the session
// controls. Without this script the button stays hidden and the menu stays open.
const SMALL_SCREEN = window.matchMedia("(max-width: 48rem)");

function setUpMenu() {
  const button = document.querySelector("header.top .menu-button");
  if (!button) return;
  const header = button.closest("header");
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-closed", !open);
  };
  button.hidden = false;
  show(!SMALL_SCREEN.matches);
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  SMALL_SCREEN.addEventListener("change", () => show(!SMALL_SCREEN.matches));
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && SMALL_SCREEN.matches && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
}

// A table wider than its column scrolls inside a container of its own rather than widening
// the page. The container is a labelled region that takes the keyboard focus only while it
// has something to scroll, so that arrow keys can scroll it (WCAG 2.1.1).
function tableName(table) {
  const caption = table.querySelector("caption");
  if (caption) return caption.textContent.trim();
  if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
  let node = table.parentElement;
  let previous = table;
  while (node) {
    for (let sibling = previous.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      const heading = sibling.matches("h1, h2, h3, h4") ? sibling : sibling.querySelector("h1, h2, h3, h4");
      if (heading) return heading.textContent.trim();
    }
    previous = node;
    node = node.parentElement;
  }
  return document.title;
}

function scrollContainers() {
  const containers = [];
  for (const table of document.querySelectorAll("main table")) {
    let container = table.parentElement;
    if (!container.matches(".wide-table, .table-scroll")) {
      container = document.createElement("div");
      container.className = "wide-table";
      table.replaceWith(container);
      container.append(table);
    }
    if (!container.hasAttribute("aria-label")) {
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", tableName(table));
    }
    containers.push(container);
  }
  const update = () => {
    for (const container of containers) {
      const scrolls = container.scrollWidth > container.clientWidth || container.scrollHeight > container.clientHeight;
      if (scrolls) container.setAttribute("tabindex", "0");
      else container.removeAttribute("tabindex");
    }
  };
  update();
  window.addEventListener("resize", update);
  // Rows added later (the live map's tracks) can make a container scroll.
  const observer = new ResizeObserver(update);
  for (const container of containers) {
    const table = container.querySelector("table");
    if (table) observer.observe(table);
  }
}

function setUp() {
  setUpMenu();
  scrollContainers();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
else setUp();
