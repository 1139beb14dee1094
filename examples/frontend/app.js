// A front-end on Leerstad's REST API alone: the agenda with filters and each event, the partner directory and
// each partner. Plain JavaScript, no build step. The API's address is the <html data-api> attribute, or ?api=
// in this page's address; the portal must list this page's origin in LEERSTAD_CORS_ALLOWED_ORIGINS.
"use strict";

const TEXTS = {
  nl: {
    siteName: "Leren in de stad", language: "Taal", sections: "Onderdelen", pages: "Pagina's",
    agenda: "Agenda", partners: "Partners", search: "Zoeken", when: "Wanneer", anyTime: "Altijd",
    today: "Vandaag", weekend: "Dit weekend", week: "Komende 7 dagen", age: "Leeftijd", free: "Gratis",
    kind: "Soort", allKinds: "Alle soorten", show: "Toon", loading: "Bezig met laden…", previous: "Vorige", next: "Volgende",
    dates: (n) => (n === 1 ? "1 datum" : `${n} data`), organisations: (n) => (n === 1 ? "1 organisatie" : `${n} organisaties`),
    none: "Niets gevonden. Probeer minder filters.", failed: "De gegevens konden niet worden geladen.",
    where: "Waar", organisers: "Organisatie", cost: "Kosten", forAges: "Leeftijd", register: "Inschrijven",
    onPortal: "Op het portaal", address: "Adres", contact: "Contact", cancelled: "Geannuleerd",
    years: (min, max) => `${min ?? 0}–${max ?? "…"} jaar`,
  },
  en: {
    siteName: "Learning in the city", language: "Language", sections: "Sections", pages: "Pages",
    agenda: "Events", partners: "Partners", search: "Search", when: "When", anyTime: "Any time",
    today: "Today", weekend: "This weekend", week: "Next 7 days", age: "Age", free: "Free",
    kind: "Kind", allKinds: "All kinds", show: "Show", loading: "Loading…", previous: "Previous", next: "Next",
    dates: (n) => (n === 1 ? "1 date" : `${n} dates`), organisations: (n) => (n === 1 ? "1 organisation" : `${n} organisations`),
    none: "Nothing found. Try fewer filters.", failed: "The data could not be loaded.",
    where: "Where", organisers: "Organiser", cost: "Cost", forAges: "Ages", register: "Register",
    onPortal: "On the portal", address: "Address", contact: "Contact", cancelled: "Cancelled",
    years: (min, max) => `${min ?? 0}–${max ?? "…"} years`,
  },
  fr: {
    siteName: "Apprendre en ville", language: "Langue", sections: "Rubriques", pages: "Pages",
    agenda: "Agenda", partners: "Partenaires", search: "Rechercher", when: "Quand", anyTime: "Toujours",
    today: "Aujourd'hui", weekend: "Ce week-end", week: "7 prochains jours", age: "Âge", free: "Gratuit",
    kind: "Type", allKinds: "Tous les types", show: "Afficher", loading: "Chargement…", previous: "Précédent", next: "Suivant",
    dates: (n) => (n === 1 ? "1 date" : `${n} dates`), organisations: (n) => (n === 1 ? "1 organisation" : `${n} organisations`),
    none: "Aucun résultat. Essayez avec moins de filtres.", failed: "Les données n'ont pas pu être chargées.",
    where: "Où", organisers: "Organisateur", cost: "Prix", forAges: "Âge", register: "S'inscrire",
    onPortal: "Sur le portail", address: "Adresse", contact: "Contact", cancelled: "Annulé",
    years: (min, max) => `${min ?? 0}–${max ?? "…"} ans`,
  },
};
const LIMIT = 10;
const api = new URLSearchParams(location.search).get("api") || document.documentElement.dataset.api;
let locale = "nl";
const t = (key, ...args) => (typeof TEXTS[locale][key] === "function" ? TEXTS[locale][key](...args) : TEXTS[locale][key]);

// Elements are made with textContent only: nothing the API returns is read as HTML.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== "") node.append(child);
  }
  return node;
}

async function read(path, params) {
  const query = new URLSearchParams({ ...params, locale });
  const response = await fetch(`${api}/api/v3/${path}/?${query}`, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    // A 400 is a problem document naming each wrong parameter.
    const messages = (body?.errors || []).map((error) => `${error.loc.at(-1)}: ${error.msg}`);
    throw new Error(messages.join(" ") || body?.detail || response.statusText);
  }
  return body;
}

function formatWhen(occurrence) {
  const start = new Date(occurrence.start);
  const options = occurrence.all_day ? { dateStyle: "full" } : { dateStyle: "full", timeStyle: "short" };
  return new Intl.DateTimeFormat(locale, options).format(start);
}

function detailList(rows) {
  return el("dl", {}, rows.filter(([, value]) => value).map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

function eventItem(occurrence) {
  const event = occurrence.event;
  const venue = event.venue;
  const cancelled = occurrence.status === "cancelled";
  return el(
    "li", { lang: occurrence.locale !== locale ? occurrence.locale : null },
    el("details", {},
      el("summary", {}, el("span", { class: "title" }, event.title), " ", el("time", { datetime: occurrence.start }, formatWhen(occurrence)),
        cancelled ? el("strong", { class: "cancelled" }, ` ${t("cancelled")}`) : null),
      el("p", {}, event.summary),
      detailList([
        [t("where"), venue && [venue.title, venue.address.street, venue.address.locality].filter(Boolean).join(", ")],
        [t("organisers"), event.organisers.map((partner) => partner.title).join(", ")],
        [t("forAges"), (event.audience.min_age !== null || event.audience.max_age !== null) && t("years", event.audience.min_age, event.audience.max_age)],
        [t("cost"), event.cost.free ? t("free") : event.cost.price && `${event.cost.price} ${event.cost.currency}`],
      ]),
      event.registration.url ? el("p", {}, el("a", { href: event.registration.url }, t("register"))) : null,
      event.url ? el("p", {}, el("a", { href: event.url }, t("onPortal"))) : null,
    ),
  );
}

// Labels of the filters' values, from /api/v3/terms/ in the current language: {"partners": {"kind": [...]}}.
let terms = {};

function termLabel(listing, parameter, code) {
  return (terms[listing]?.[parameter] || []).find((term) => term.code === code)?.label || code;
}

async function loadTerms() {
  terms = await read("terms", {}).catch(() => ({}));
  for (const select of document.querySelectorAll("select[data-terms]")) {
    const [listing, parameter] = select.dataset.terms.split(".");
    const chosen = select.value;
    select.replaceChildren(select.options[0], ...(terms[listing]?.[parameter] || []).map((term) => el("option", { value: term.code }, term.label)));
    select.value = chosen;
  }
}

function partnerItem(partner) {
  const address = partner.address;
  return el(
    "li", { lang: partner.locale !== locale ? partner.locale : null },
    el("details", {},
      el("summary", {}, el("span", { class: "title" }, partner.title), " ", el("span", { class: "kind" }, termLabel("partners", "kind", partner.kind))),
      el("p", {}, partner.summary),
      detailList([
        [t("address"), [address.street, [address.postcode, address.locality].filter(Boolean).join(" ")].filter(Boolean).join(", ")],
        [t("contact"), [partner.contact.email, partner.contact.phone].filter(Boolean).join(" · ")],
      ]),
      partner.contact.website ? el("p", {}, el("a", { href: partner.contact.website }, partner.contact.website)) : null,
      partner.url ? el("p", {}, el("a", { href: partner.url }, t("onPortal"))) : null,
    ),
  );
}

// One listing: its form, status line, results and pager; the form's fields are the API's own parameters.
function listing(section, path, item, counted) {
  const form = section.querySelector("form");
  const status = section.querySelector(".status");
  const results = section.querySelector(".results");
  const pager = section.querySelector(".pager");
  let offset = 0;

  async function show() {
    const params = Object.fromEntries([...new FormData(form)].filter(([, value]) => value !== ""));
    status.textContent = t("loading");
    results.replaceChildren();
    pager.replaceChildren();
    try {
      const page = await read(path, { ...params, limit: LIMIT, offset });
      results.replaceChildren(...page.items.map(item));
      status.textContent = page.count ? counted(page.count) : t("none");
      if (offset > 0) pager.append(el("button", { type: "button", "data-step": -1 }, t("previous")));
      if (offset + LIMIT < page.count) pager.append(el("button", { type: "button", "data-step": 1 }, t("next")));
    } catch (error) {
      status.textContent = `${t("failed")} ${error.message}`;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    show();
  });
  pager.addEventListener("click", (event) => {
    const step = Number(event.target.dataset.step || 0);
    if (step) {
      offset = Math.max(0, offset + step * LIMIT);
      show().then(() => results.querySelector("summary")?.focus());
    }
  });
  return show;
}

function translate() {
  document.documentElement.lang = locale;
  document.title = t("siteName");
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-label]")) node.setAttribute("aria-label", t(node.dataset.label));
  for (const button of document.querySelectorAll("[data-locale]")) button.setAttribute("aria-pressed", String(button.dataset.locale === locale));
}

const sections = {
  agenda: listing(document.getElementById("agenda"), "events", eventItem, (n) => t("dates", n)),
  partners: listing(document.getElementById("partners"), "partners", partnerItem, (n) => t("organisations", n)),
};

function route() {
  const name = location.hash === "#partners" ? "partners" : "agenda";
  for (const key of Object.keys(sections)) document.getElementById(key).hidden = key !== name;
  for (const link of document.querySelectorAll("header a")) {
    if (link.getAttribute("href") === `#${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  sections[name]();
}

for (const button of document.querySelectorAll("[data-locale]")) {
  button.addEventListener("click", () => {
    locale = button.dataset.locale;
    translate();
    loadTerms().then(route);
  });
}
window.addEventListener("hashchange", route);
translate();
loadTerms().then(route);
