// The map page (templates/guides/map.html): Leaflet drawn over the server-rendered list of
// places, from the list's data- attributes. Nothing is sent anywhere, the reader's position
// least of all: it sorts the list on this phone and is never passed on. The category filter
// and "Nearest first" work on the list even when Leaflet or the tiles do not load.
;(function () {
  "use strict"
  var box = document.getElementById("map")
  var tools = document.getElementById("map-tools")
  var root = document.documentElement
  var rows = [].slice.call(document.querySelectorAll("#places li[data-lat]")).map(function (li) {
    return { li: li, at: [+li.dataset.lat, +li.dataset.lon], cats: li.dataset.c.split(" ") }
  })
  var map = null
  var layer = null
  // Leaflet knows no right-to-left: the zoom buttons go to the side the page starts on, and
  // popups keep clear of them (a popup is drawn under the controls).
  var rtl = root.dir === "rtl"
  var controls = 52

  if (box && window.L) {
    var d = box.dataset
    box.hidden = false
    map = L.map(box, { zoomControl: false }).setView([+d.lat, +d.lon], +d.zoom)
    // Leaflet's own labels are English: the reader's language comes from the page.
    L.control.zoom({
      position: rtl ? "topright" : "topleft",
      zoomInTitle: d.zoomIn,
      zoomOutTitle: d.zoomOut
    }).addTo(map)
    map.on("popupopen", function (e) {
      var close = e.popup.getElement().querySelector(".leaflet-popup-close-button")
      if (close) close.setAttribute("aria-label", d.close)
    })
    map.attributionControl.setPrefix(false)
    // Tiles load as the reader pans, never ahead. Their server is told this site's address
    // (its usage policy asks for it), not the page.
    if (d.tiles) {
      L.tileLayer(d.tiles, {
        attribution: d.attribution,
        maxZoom: 19,
        keepBuffer: 1,
        referrerPolicy: "strict-origin"
      }).addTo(map)
    }
    layer = L.featureGroup().addTo(map)
    rows.forEach(function (row) {
      var li = row.li
      // The name without a "not yet translated" note after it.
      var name = li.querySelector("h3").firstChild.textContent.trim()
      var icon = L.divIcon({
        className: "pin i i-" + li.dataset.icon + ("open" in li.dataset ? " open" : ""),
        iconSize: [36, 36],
        html: ""
      })
      row.marker = L.marker(row.at, { icon: icon, title: name, riseOnHover: true })
      row.marker.bindPopup(function () { return popup(li) }, {
        maxHeight: 280,
        // The popup's frame and margins take about 40 px beside its text.
        maxWidth: Math.max(160, Math.min(300, box.clientWidth - controls - 48)),
        autoPanPaddingTopLeft: [rtl ? 8 : controls, 8],
        autoPanPaddingBottomRight: [rtl ? controls : 8, 8]
      })
      layer.addLayer(row.marker)
    })
    if (rows.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 })
    map.on("zoomend", spread)
    spread()
  }

  // Places nearer each other on the screen than a fingertip are pushed apart until each
  // marker can be tapped, each staying as near its point as the others let it; zooming in
  // puts them back on their points.
  function spread() {
    if (!map) return
    var tap = 40
    var shown = rows.filter(function (row) { return layer.hasLayer(row.marker) })
    var points = shown.map(function (row) { return map.latLngToLayerPoint(row.at) })
    for (var round = 0, moved = true; moved && round < 50; round++) {
      moved = false
      for (var i = 0; i < points.length; i++) {
        for (var j = i + 1; j < points.length; j++) {
          var d = points[i].distanceTo(points[j])
          if (d >= tap) continue
          // Two places on the very same spot part along an angle of their own.
          var away = d > 0.01
            ? points[j].subtract(points[i]).divideBy(d)
            : L.point(Math.cos(i + j), Math.sin(i + j))
          var push = away.multiplyBy((tap - d) / 2 + 0.5)
          points[i] = points[i].subtract(push)
          points[j] = points[j].add(push)
          moved = true
        }
      }
    }
    shown.forEach(function (row, n) { row.marker.setLatLng(map.layerPointToLatLng(points[n])) })
  }

  // The place's own entry of the list, copied: name, directions, services and their links.
  function popup(li) {
    var content = document.createElement("div")
    content.dir = root.dir
    content.lang = root.lang
    for (var node = li.firstChild; node; node = node.nextSibling) {
      content.appendChild(node.cloneNode(true))
    }
    return content
  }

  if (!tools) return
  tools.hidden = false

  tools.addEventListener("change", function () {
    var on = {}
    ;[].forEach.call(tools.querySelectorAll("input[type=checkbox]"), function (input) {
      if (input.checked) on[input.value] = true
    })
    rows.forEach(function (row) {
      // A place of no category stays: there is no box to hide it with.
      var shown = !row.cats[0] || row.cats.some(function (slug) { return on[slug] })
      row.li.hidden = !shown
      if (!layer) return
      if (shown) layer.addLayer(row.marker)
      else layer.removeLayer(row.marker)
    })
    spread()
  })

  var near = document.getElementById("near")
  var status = near.nextElementSibling
  var you = null
  if (!navigator.geolocation) {
    near.parentNode.hidden = true
    return
  }
  near.addEventListener("click", function () {
    var words = near.dataset
    near.disabled = true
    status.textContent = words.locating
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = [position.coords.latitude, position.coords.longitude]
      near.disabled = false
      rows.forEach(function (row) { row.metres = distance(here, row.at) })
      rows.sort(function (a, b) { return a.metres - b.metres })
      rows.forEach(function (row) {
        var label = row.li.querySelector(".dist")
        if (!label) {
          label = document.createElement("p")
          label.className = "dist"
          row.li.insertBefore(label, row.li.querySelector("h3").nextSibling)
        }
        // Western digits, as every time and number in the guide.
        label.textContent = words.km.replace("{km}", (row.metres / 1000).toFixed(1))
        row.li.parentNode.appendChild(row.li)
      })
      status.textContent = words.sorted
      if (!map) return
      if (you) you.setLatLng(here)
      else you = L.circleMarker(here, { radius: 8, color: "#0b3d62", weight: 3, fillColor: "#fff", fillOpacity: 1 }).bindTooltip(words.here).addTo(map)
      var nearest = rows.filter(function (row) { return !row.li.hidden })[0]
      map.fitBounds(L.latLngBounds([here, nearest ? nearest.at : here]), { padding: [32, 32], maxZoom: 16 })
    }, function () {
      near.disabled = false
      status.textContent = near.dataset.failed
    }, { enableHighAccuracy: false, timeout: 20000, maximumAge: 300000 })
  })

  // Metres along the Earth's surface (haversine): plenty for "which is nearest".
  function distance(a, b) {
    var rad = Math.PI / 180
    var dLat = (b[0] - a[0]) * rad
    var dLon = (b[1] - a[1]) * rad
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2)
    return 2 * 6371000 * Math.asin(Math.sqrt(h))
  }
})()
