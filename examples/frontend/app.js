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
    more: (title) => `Meer over ${title}`, back: "Terug", datesHeading: "Data", full: "Vol", themes: "Thema's",
    accessibility: "Toegankelijkheid", level: "Niveau", prerequisites: "Voorkennis", certificate: "Certificaat",
    online: "Online", calendar: "In je agenda", openingHours: "Openingstijden", closed: "Gesloten",
    networks: "Netwerken", partnerships: "Partnerschappen", noDates: "Geen komende data.",
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
    more: (title) => `More about ${title}`, back: "Back", datesHeading: "Dates", full: "Full", themes: "Themes",
    accessibility: "Accessibility", level: "Level", prerequisites: "Prerequisites", certificate: "Certificate",
    online: "Online", calendar: "Add to your calendar", openingHours: "Opening hours", closed: "Closed",
    networks: "Networks", partnerships: "Partnerships", noDates: "No upcoming dates.",
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
    more: (title) => `En savoir plus : ${title}`, back: "Retour", datesHeading: "Dates", full: "Complet", themes: "Thèmes",
    accessibility: "Accessibilité", level: "Niveau", prerequisites: "Prérequis", certificate: "Certificat",
    online: "En ligne", calendar: "Ajouter à votre agenda", openingHours: "Horaires", closed: "Fermé",
    networks: "Réseaux", partnerships: "Partenariats", noDates: "Aucune date à venir.",
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
      event.schedule_text.short ? el("p", {}, event.schedule_text.short) : null,
      detailList([
        [t("where"), venue && [venue.title, venue.address.street, venue.address.locality].filter(Boolean).join(", ")],
        [t("organisers"), event.organisers.map((partner) => partner.title).join(", ")],
        [t("forAges"), (event.audience.min_age !== null || event.audience.max_age !== null) && t("years", event.audience.min_age, event.audience.max_age)],
        [t("cost"), event.cost.free ? t("free") : event.cost.price && `${event.cost.price} ${event.cost.currency}`],
      ]),
      event.registration.url ? el("p", {}, el("a", { href: event.registration.url }, t("register"))) : null,
      el("p", {}, el("a", { href: `#event/${event.id}` }, t("more", event.title))),
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
      el("p", {}, el("a", { href: `#partner/${partner.id}` }, t("more", partner.title))),
    ),
  );
}

// Rich text from the API, copied element by element into new nodes: only these tags, text as text, and links
// only to http(s) addresses. Nothing the API returns runs as HTML here.
const RICH_TAGS = new Set(["P", "H2", "H3", "H4", "UL", "OL", "LI", "B", "STRONG", "I", "EM", "A", "BR"]);

function richText(html) {
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const children = [...node.childNodes].map(copy);
    if (!RICH_TAGS.has(node.tagName)) return children;
    const href = node.tagName === "A" && /^https?:\/\//.test(node.getAttribute("href") || "") ? node.getAttribute("href") : null;
    return el(node.tagName.toLowerCase(), { href }, children);
  };
  const parsed = new DOMParser().parseFromString(html || "", "text/html");
  return el("div", { class: "rich-text" }, [...parsed.body.childNodes].map(copy));
}

function picture(image) {
  if (!image) return null;
  const medium = image.renditions.medium;
  return el("img", { src: medium.url, width: medium.width, height: medium.height, alt: image.alt });
}

function labels(terms) {
  return terms.map((term) => term.label).join(", ");
}

// One event (/api/v3/events/{uuid}/): what its page on the portal shows, with its coming dates.
async function eventDetail(id) {
  const event = await read(`events/${encodeURIComponent(id)}`, {});
  const dates = event.occurrences.items;
  return [
    el("h1", { tabindex: "-1" }, event.title),
    event.status === "cancelled" ? el("p", { class: "cancelled" }, t("cancelled"), event.status_reason && `: ${event.status_reason}`) : null,
    picture(event.image),
    el("p", { class: "lead" }, event.summary),
    richText(event.body_html),
    detailList([
      [t("where"), event.venue && [event.venue.title, event.venue.address.street, event.venue.address.locality].filter(Boolean).join(", ")],
      [t("online"), event.online_url && el("a", { href: event.online_url }, event.online_url)],
      [t("organisers"), event.organisers.map((partner) => partner.title).join(", ")],
      [t("forAges"), (event.audience.min_age !== null || event.audience.max_age !== null) && t("years", event.audience.min_age, event.audience.max_age)],
      [t("cost"), event.cost.free ? t("free") : event.cost.price && `${event.cost.price} ${event.cost.currency}`],
      [t("themes"), labels(event.themes)],
      [t("accessibility"), labels(event.accessibility)],
      [t("level"), event.course.level?.label],
      [t("prerequisites"), event.course.prerequisites],
      [t("certificate"), event.course.certificate],
    ]),
    el("h2", {}, t("datesHeading")),
    dates.length
      ? el("ul", { class: "dates" }, dates.map((date) => el("li", {},
          el("time", { datetime: date.start }, formatWhen(date)),
          date.status === "cancelled" ? el("strong", { class: "cancelled" }, ` ${t("cancelled")}`) : null,
          date.full ? el("strong", {}, ` ${t("full")}`) : null,
          date.note ? ` — ${date.note}` : null)))
      : el("p", {}, t("noDates")),
    el("ul", { class: "links" },
      event.registration.url ? el("li", {}, el("a", { href: event.registration.url }, t("register"))) : null,
      event.ics_url ? el("li", {}, el("a", { href: event.ics_url }, t("calendar"))) : null,
      event.url ? el("li", {}, el("a", { href: event.url }, t("onPortal"))) : null),
  ];
}

function openingHours(rows) {
  const day = (uri) => new Intl.DateTimeFormat(locale, { weekday: "long" }).format(
    new Date(Date.UTC(2024, 0, 1 + ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].indexOf(uri.split("/").pop()))));
  return el("ul", { class: "opening-hours" }, rows.map((row) => el("li", {},
    row.validFrom ? new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(row.validFrom)) : row.dayOfWeek.map(day).join(", "),
    ": ", row.closed ? t("closed") : `${row.opens.slice(0, 5)}–${row.closes.slice(0, 5)}`)));
}

// One partner (/api/v3/partners/{id}/): what its page on the portal shows.
async function partnerDetail(id) {
  const partner = await read(`partners/${encodeURIComponent(id)}`, {});
  const address = partner.address;
  return [
    el("h1", { tabindex: "-1" }, partner.title),
    el("p", { class: "kind" }, partner.labels.kind),
    picture(partner.image),
    el("p", { class: "lead" }, partner.summary),
    richText(partner.body_html),
    detailList([
      [t("address"), [address.street, [address.postcode, address.locality].filter(Boolean).join(" ")].filter(Boolean).join(", ")],
      [t("contact"), [partner.contact.email, partner.contact.phone].filter(Boolean).join(" · ")],
      [t("networks"), partner.networks.map((network) => network.name).join(", ")],
      [t("partnerships"), partner.partnerships.map((partnership) => partnership.title).join(", ")],
    ]),
    partner.opening_hours.length ? [el("h2", {}, t("openingHours")), openingHours(partner.opening_hours)] : null,
    el("ul", { class: "links" },
      partner.contact.website ? el("li", {}, el("a", { href: partner.contact.website }, partner.contact.website)) : null,
      partner.url ? el("li", {}, el("a", { href: partner.url }, t("onPortal"))) : null),
  ];
}

const details = { event: [eventDetail, "agenda"], partner: [partnerDetail, "partners"] };

async function showDetail(kind, id) {
  const section = document.getElementById("detail");
  const [load, listingName] = details[kind];
  section.replaceChildren(el("p", { role: "status" }, t("loading")));
  try {
    const content = await load(id);
    const shown = content.flat(Infinity).filter((node) => node !== null && node !== undefined && node !== "");
    section.replaceChildren(el("p", {}, el("a", { href: `#${listingName}` }, t("back"))), ...shown);
    section.querySelector("h1").focus();
  } catch (error) {
    section.replaceChildren(el("p", { role: "status" }, `${t("failed")} ${error.message}`), el("p", {}, el("a", { href: `#${listingName}` }, t("back"))));
  }
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

// #agenda, #partners, and deep links to one event or partner: #event/<id>, #partner/<id>.
function route() {
  const detail = /^#(event|partner)\/([\w-]+)$/.exec(location.hash);
  const name = detail ? "detail" : location.hash === "#partners" ? "partners" : "agenda";
  for (const key of [...Object.keys(sections), "detail"]) document.getElementById(key).hidden = key !== name;
  const current = detail ? details[detail[1]][1] : name;
  for (const link of document.querySelectorAll("header a")) {
    if (link.getAttribute("href") === `#${current}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (detail) showDetail(detail[1], detail[2]);
  else sections[name]();
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
