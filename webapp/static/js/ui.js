// Small DOM helpers: elements are built with text nodes, never from HTML strings.
import { t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let serial = 0;
// A labelled control: <label for> names it, so assistive tech and tests find it by its name.
export function field(labelText, control, { name, wide } = {}) {
  const id = control.id || `f${++serial}`;
  control.id = id;
  if (name) control.dataset.field = name;
  const error = h("span", { class: "error", id: `${id}-error` });
  control.setAttribute("aria-describedby", `${id}-error`);
  return h("div", { class: wide ? "field wide" : "field", "data-field": name }, h("label", { for: id }, labelText), control, error);
}

export function select(options, { value, blank } = {}) {
  const el = h("select", {});
  if (blank !== undefined) el.append(h("option", { value: "" }, blank));
  for (const [v, text] of options) el.append(h("option", { value: v, selected: v === value }, text));
  return el;
}

// Show a refusal: next to the field it names when the form has that field, else above the form.
export function showRefusal(form, error) {
  clearRefusals(form);
  for (const e of error.errors ?? [{ message: String(error) }]) {
    const name = e.extensions?.field;
    const box = name ? form.querySelector(`.field[data-field="${CSS.escape(lastPart(name))}"]`) : null;
    if (box) {
      box.classList.add("invalid");
      const said = box.querySelector(".error");
      said.textContent = reason(e);
      said.setAttribute("role", "alert");
    } else {
      form.prepend(h("p", { class: "notice bad form-refusal", role: "alert" }, reason(e)));
    }
  }
}

// A malformed input has only a generic Chinese sentence; the English detail says what is wrong.
function reason(e) {
  const detail = e.extensions?.messageEn;
  return e.extensions?.code === "VALIDATION_FAILED" && detail && detail !== e.message ? `${e.message}（${detail}）` : e.message;
}

function lastPart(name) {
  const parts = String(name).split(".");
  return parts[parts.length - 1];
}

export function clearRefusals(form) {
  form.querySelectorAll(".form-refusal").forEach((n) => n.remove());
  form.querySelectorAll(".field.invalid").forEach((n) => n.classList.remove("invalid"));
  form.querySelectorAll(".field .error").forEach((n) => { n.textContent = ""; n.removeAttribute("role"); });
}

export function table(columns, rows, { rowClass, caption } = {}) {
  return h("div", { class: "table-wrap" },
    h("table", {},
      caption ? h("caption", { class: "sr" }, caption) : null,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.title)))),
      h("tbody", {}, rows.map((row) => h("tr", { class: rowClass?.(row) },
        columns.map((c) => h("td", { class: c.wrap ? "wrap" : undefined }, c.cell(row))))))));
}

export const percent = (rate) => (rate === null || rate === undefined ? "—" : `${(Number(rate) * 100).toFixed(1)}%`);
export const yesNo = (v) => t(v ? "yes" : "no");
export const day = (iso) => {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return `${y}年${m}月${d}日`;
};
export const moment = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "");

// ECharts, served by XunCha from the npm package; pages work without it.
let charts;
export async function chart(container, option) {
  try {
    charts ??= await import("/app/vendor/echarts/echarts.esm.min.js");
    charts.init(container).setOption({ animation: false, ...option });
  } catch (error) {
    container.replaceChildren(h("p", { class: "notice bad" }, "charts unavailable"));
  }
}
