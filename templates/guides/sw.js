{% autoescape off %}// Infobus service worker, rendered by infobus.views.service_worker; no library, no build.
// Pages a reader opened: network first, the saved copy offline or when the network is slow.
// /static/: cache first. It downloads nothing when it is installed: a first visit costs the
// page, the CSS and this file; the open page and the CSS are copied from the HTTP cache.
"use strict"
// A new name when what is stored changes shape: activation deletes every other cache.
const PAGES = "pages-1", STATIC = "static-1"
const CSS = "{{ css }}", STATIC_URL = "{{ static_url }}", ADMIN = "{{ admin_url }}"
// Per language: dir, guide name, "You are offline", "These pages are:", "Nothing is saved",
// "Saved on {date}." (HTML-escaped by the view).
const WORDS = {{ words }}, DEFAULT = "{{ default_language }}"
{% endautoescape %}{% verbatim %}const TIMEOUT = 4000
const LANG = new RegExp("^/(" + Object.keys(WORDS).join("|") + ")/")
const HASHED = /\.[0-9a-f]{12}(\.[^./]+)$/

const here = (u) => u.origin === location.origin
const lang = (u) => (LANG.exec(u.pathname) || [0, DEFAULT])[1]
const isStatic = (u) => here(u) && u.pathname.startsWith(STATIC_URL)
const guidePage = (u) => here(u) && (u.pathname === "/" || LANG.test(u.pathname))
// What anyone gets at that address: never the back office, search results, a query string,
// the report form's pages or the JSON list.
const keepable = (u) =>
  guidePage(u) && !u.search && !u.pathname.startsWith(ADMIN) &&
  !/\/(search|report|offline)\/|\.json$/.test(u.pathname)
const unhashed = (url) => url.replace(HASHED, "$1")
const key = (u) => u.origin + u.pathname

self.addEventListener("install", () => self.skipWaiting())

self.addEventListener("activate", (e) => e.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name !== PAGES && name !== STATIC) await caches.delete(name)
  }
  await self.clients.claim()
  // The page that registered us was just downloaded: copy it from the HTTP cache, no request.
  const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true })
  for (const url of [CSS, ...open.map((c) => c.url)]) {
    try { await save(new URL(url, location.origin), "only-if-cached") } catch (err) {}
  }
})()))

self.addEventListener("fetch", (e) => {
  const r = e.request, u = new URL(r.url)
  // Another host's answers (the map's tiles) are the browser's business: never stored here.
  if (r.method !== "GET" || !here(u)) return
  if (isStatic(u)) {
    // What guide pages load; not the back office's scripts and styles.
    if (guidePage(new URL(r.referrer || "about:blank"))) e.respondWith(fromStatic(e, r))
  } else if (r.mode === "navigate" && guidePage(u) && !u.pathname.startsWith(ADMIN)) {
    if (/^\/[^/]+\/offline\/$/.test(u.pathname)) return e.respondWith(offlinePage(u))
    const net = fetch(r)
    if (keepable(u)) e.waitUntil(net.then((res) => keep(u, res.clone())).catch(() => 0))
    e.respondWith(fromNetwork(u, net))
  }
})

async function fromNetwork(u, net) {
  const copy = async () => {
    const res = keepable(u) && (await caches.match(key(u), { cacheName: PAGES }))
    return res && withBanner(res, u)
  }
  // Slow network: the saved copy if there is one (the download goes on and updates it).
  let timer
  const slow = new Promise((ok) => (timer = setTimeout(ok, TIMEOUT)))
  try {
    const res = await Promise.race([net, slow.then(copy).then((c) => c || net)])
    return (res.status >= 500 && (await copy())) || res
  } catch (err) {
    return (await copy()) || offlinePage(u)
  } finally {
    clearTimeout(timer)
  }
}

async function fromStatic(e, r) {
  const c = await caches.open(STATIC), hit = await c.match(r, { ignoreVary: true })
  // A hashed name never changes: no need to ask. Others are refreshed in the background.
  if (hit && HASHED.test(r.url)) return hit
  const net = fetch(r)
  e.waitUntil(net.then((res) => res.ok && putStatic(c, r.url, res.clone())).catch(() => 0))
  if (hit) return hit
  try {
    return await net
  } catch (err) {
    // A page saved before a new CSS names an older file: the one we have will do.
    for (const k of await c.keys()) if (unhashed(k.url) === unhashed(r.url)) return c.match(k)
    return Response.error()
  }
}

async function putStatic(c, url, res) {
  await c.put(url, res)
  for (const k of await c.keys()) {
    if (k.url !== url && unhashed(k.url) === unhashed(url)) await c.delete(k)
  }
}

// Stores a page with the moment it was saved and its title; returns its size in bytes.
async function keep(u, res) {
  const type = res.headers.get("content-type") || ""
  if (res.status !== 200 || !type.startsWith("text/")) return 0
  const body = await res.text()
  const title = ((/<title>([^<]*)/.exec(body) || [])[1] || u.pathname).trim()
  const headers = { "content-type": type, "x-saved": String(Date.now()),
    "x-title": encodeURIComponent(title) }
  await (await caches.open(PAGES)).put(key(u), new Response(body, { headers }))
  return new Blob([body]).size
}

async function save(u, mode) {
  if (!isStatic(u) && !keepable(u)) return 0
  const res = await fetch(u.href, { cache: mode || "default", mode: "same-origin" })
  if (!res.ok) throw new Error(res.status)
  if (!isStatic(u)) return keep(u, res)
  const size = (await res.clone().blob()).size
  await putStatic(await caches.open(STATIC), u.href, res)
  return size
}

const words = (u) => WORDS[lang(u)] || WORDS[DEFAULT]

async function withBanner(res, u) {
  let date = new Date(Number(res.headers.get("x-saved")))
  try {
    date = date.toLocaleString(lang(u), { dateStyle: "long", timeStyle: "short" })
  } catch (err) {
    date = date.toISOString().slice(0, 16).replace("T", " ")
  }
  const banner = `<p class="saved" role="status">${words(u)[5].replace("{date}", date)}</p>`
  const html = (await res.text()).replace("<!--saved-->", banner)
  return new Response(html, { headers: { "content-type": res.headers.get("content-type") } })
}

async function offlinePage(u) {
  const l = lang(u), [dir, guide, title, these, nothing] = words(u)
  const c = await caches.open(PAGES), rows = []
  for (const k of await c.keys()) {
    const path = new URL(k.url).pathname
    if (!path.startsWith(`/${l}/`)) continue
    const name = decodeURIComponent((await c.match(k)).headers.get("x-title") || path)
      .replace(` · ${guide}`, "")
    rows.push(`<li><a href="${path}">${name}</a></li>`)
  }
  rows.sort()
  return new Response(`<!doctype html><html lang="${l}" dir="${dir}"><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
    `<link rel="stylesheet" href="${CSS}"><header class="top"><span class="brand">${guide}` +
    `</span></header><main id="main"><h1>${title}</h1><p>${rows.length ? these : nothing}</p>` +
    `<ul class="list" id="saved">${rows.join("")}</ul></main>`,
    { headers: { "content-type": "text/html; charset=utf-8" } })
}

// "Save this guide for offline" on the area home: every page of its offline.json and the CSS.
self.addEventListener("message", (e) => {
  const port = e.ports[0], manifest = e.data && e.data.save
  if (port && typeof manifest === "string") e.waitUntil(saveGuide(manifest, port))
})

async function saveGuide(manifest, port) {
  let done = 0, failed = 0, pages = 0, size = 0, total = 0
  try {
    const u = new URL(manifest, location.origin)
    if (!here(u)) throw new Error("elsewhere")
    const urls = [...new Set([CSS, ...(await (await fetch(u.href)).json()).urls])]
    total = urls.length
    const next = async () => {
      for (let url; (url = urls.shift()); ) {
        try {
          const bytes = await save(new URL(url, location.origin))
          size += bytes
          if (bytes && !isStatic(new URL(url, location.origin))) pages++
        } catch (err) {
          failed++
        }
        port.postMessage({ done: ++done, total })
      }
    }
    // A few at a time: quick on wifi, gentle on a weak signal.
    await Promise.all([next(), next(), next()])
  } catch (err) {
    failed = failed || 1
  }
  port.postMessage({ done, total, failed, pages, size, end: true })
}
{% endverbatim %}
