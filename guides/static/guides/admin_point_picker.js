// The back office's place form: a map under latitude and longitude (guides.map.PointPickerInput).
// A click on the map or a drag of the marker writes the point into both inputs; typing in them
// moves the marker. The inputs are what is saved: without this script they work as before.
document.addEventListener("DOMContentLoaded", function () {
  "use strict"
  if (!window.L) return
  ;[].forEach.call(document.querySelectorAll(".point-picker"), function (box) {
    var d = box.dataset
    var lat = document.getElementById(d.latitude)
    var lon = document.getElementById(d.longitude)
    var area = document.getElementById("id_area")
    if (!lat || !lon) return
    // Under the whole latitude/longitude row rather than squeezed beside the input.
    var row = box.closest(".form-row") || box.parentNode
    row.parentNode.insertBefore(box, row.nextSibling)
    var help = document.createElement("p")
    help.className = "help"
    help.textContent = d.help
    box.parentNode.insertBefore(help, box)
    box.style.height = "22rem"
    box.style.margin = "0 0 1rem"

    var map = L.map(box)
    map.attributionControl.setPrefix(false)
    if (d.tiles) {
      L.tileLayer(d.tiles, {
        attribution: d.attribution,
        maxZoom: 19,
        referrerPolicy: "strict-origin"
      }).addTo(map)
    }
    var icon = L.icon({
      iconUrl: d.icon,
      iconRetinaUrl: d.icon2x,
      iconSize: [25, 41],
      iconAnchor: [12, 41]
    })
    var marker = L.marker([0, 0], { icon: icon, draggable: true, autoPan: true })

    function typed() {
      var la = parseFloat(lat.value)
      var lo = parseFloat(lon.value)
      if (!isFinite(la) || !isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) return null
      return L.latLng(la, lo)
    }

    function show(point) {
      marker.setLatLng(point)
      if (!map.hasLayer(marker)) marker.addTo(map)
    }

    // Six decimals, as the fields store (about 10 cm).
    function put(point) {
      point = point.wrap()
      lat.value = point.lat.toFixed(6)
      lon.value = point.lng.toFixed(6)
      show(point)
    }

    function centre() {
      var areas = JSON.parse(d.areas)
      var view = (area && areas[area.value]) || JSON.parse(d.centre)
      map.setView([view[0], view[1]], view[2])
    }

    var start = typed()
    if (start) {
      show(start)
      map.setView(start, 16)
    } else {
      centre()
    }
    map.on("click", function (e) { put(e.latlng) })
    marker.on("dragend", function () { put(marker.getLatLng()) })
    function follow() {
      var point = typed()
      if (!point) return
      show(point)
      map.panTo(point)
    }
    lat.addEventListener("input", follow)
    lon.addEventListener("input", follow)
    if (area) area.addEventListener("change", function () { if (!typed()) centre() })
  })
})
