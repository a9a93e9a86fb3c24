// Small progressive enhancements; every page works without them.
document.addEventListener("submit", (event) => {
  const form = event.target;
  // The question sits on the form, or on the button that submits it.
  const question = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // A second click while the first submit is on its way does nothing (the server is idempotent
  // too; this only spares the user a confusing second page).
  if (form.dataset.submitted === "1") {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() === "post") {
    form.dataset.submitted = "1";
    window.setTimeout(() => { form.dataset.submitted = ""; }, 8000);
  }
});

// A table (or a chart) wider than the screen scrolls sideways inside its box: keyboard users need to be able
// to focus the box to scroll it, and screen readers a name for it.
const markScrollableTables = () => {
  document.querySelectorAll(".table-responsive, .chart-box").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!box.hasAttribute("tabindex")) box.tabIndex = 0;
      const table = box.querySelector("table");
      const title = box.querySelector("svg > title");  // a chart (.chart-box) is named by its title
      const caption = table && table.caption
        ? table.caption.textContent.trim()
        : (title ? title.textContent.trim() : "");
      const labelledby = table ? table.getAttribute("aria-labelledby") : null;
      if (!box.hasAttribute("role") && (caption || labelledby)) {
        box.setAttribute("role", "region");
        if (labelledby) box.setAttribute("aria-labelledby", labelledby);
        else box.setAttribute("aria-label", caption);
      }
    }
  });
};
markScrollableTables();
window.addEventListener("resize", markScrollableTables);

// A form sent back with errors: move focus to its summary, so screen readers read it out and
// keyboard users start from the list of fields to fix (each entry links to its field).
const formErrors = document.querySelector(".form-errors");
if (formErrors) formErrors.focus();

// A button that prints the page (the list of members' temporary passwords).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

// A long list (web.forms.SearchSelect) holds only the chosen row: the box above it asks the page
// for the rows matching what is typed (?pick=<field>&q=…) and puts them in the list.
document.querySelectorAll("input[data-picker-search]").forEach((box) => {
  const select = document.getElementById(box.dataset.pickerSearch);
  const status = document.querySelector(`[data-picker-status="${box.dataset.pickerSearch}"]`);
  if (!select) return;
  let timer = null;
  let asked = 0;
  box.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const text = box.value.trim();
      if (text.length < 2) return;
      const number = ++asked;
      const url = new URL(window.location.href);
      url.search = "";
      url.searchParams.set("pick", box.dataset.pickerField);
      url.searchParams.set("q", text);
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok || number !== asked) return;
      const answer = await response.json();
      const chosen = select.value;
      [...select.options].forEach((option) => { if (option.value && option.value !== chosen) option.remove(); });
      answer.results.forEach((row) => {
        if (String(row.id) === chosen) return;
        select.add(new Option(row.text, row.id));
      });
      if (status) {
        status.textContent = answer.results.length
          ? (answer.more ? select.dataset.pickerMore : select.dataset.pickerFound).replace("%s", answer.results.length)
          : select.dataset.pickerNone;
      }
    }, 250);
  });
});
