/// The page's only script: refreshes live regions, follows logs over the API's server-sent events, and
/// sends cancel/retry to the API. It builds DOM nodes with textContent, never HTML from data.
enum WebScript {
    static let source = #"""
        "use strict";
        (function () {
          var partialHeader = "X-Sky-Partial";

          // Re-fetches the page's live region (rendered by the server, escaped there) until it says it is final.
          function refreshLive(region) {
            var every = parseInt(region.getAttribute("data-refresh") || "2000", 10);
            var timer = null;
            function tick() {
              if (document.hidden) { timer = setTimeout(tick, every); return; }
              var headers = {};
              headers[partialHeader] = region.id;
              fetch(location.pathname + location.search, { headers: headers, credentials: "same-origin", cache: "no-store" })
                .then(function (response) {
                  if (response.redirected || response.status === 401) { location.reload(); return null; }
                  return response.ok ? response.text() : null;
                })
                .then(function (html) {
                  if (html === null || html === undefined) { return; }
                  var holder = document.createElement("div");
                  holder.innerHTML = html;
                  var fresh = holder.firstElementChild;
                  if (!fresh) { return; }
                  region.replaceWith(fresh);
                  region = fresh;
                  if (fresh.getAttribute("data-final") === "true") { return; }
                  timer = setTimeout(tick, every);
                })
                .catch(function () { timer = setTimeout(tick, every * 2); });
            }
            if (region.getAttribute("data-final") !== "true") { timer = setTimeout(tick, every); }
            return timer;
          }

          // Appends log lines as they arrive from GET /v1/jobs/{id}/logs?follow=true (the cookie authenticates).
          function followLog(log) {
            var job = log.getAttribute("data-job");
            var cursor = log.getAttribute("data-cursor");
            var url = "/v1/jobs/" + encodeURIComponent(job) + "/logs?follow=true" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
            var source = new EventSource(url, { withCredentials: true });
            var status = document.getElementById("log-status");
            if (status) { status.textContent = "following"; }
            source.addEventListener("log", function (event) {
              var line = JSON.parse(event.data);
              var atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
              var row = document.createElement("div");
              row.className = "line " + line.level;
              var at = document.createElement("span");
              at.className = "at";
              at.textContent = line.at.replace("T", " ").slice(11, 19);
              var text = document.createElement("span");
              text.textContent = line.message;
              row.appendChild(at);
              row.appendChild(text);
              log.appendChild(row);
              var empty = log.querySelector(".empty");
              if (empty) { empty.remove(); }
              if (atBottom) { log.scrollTop = log.scrollHeight; }
            });
            source.addEventListener("end", function () {
              source.close();
              if (status) { status.textContent = "finished"; }
            });
            source.onerror = function () {
              if (source.readyState === EventSource.CLOSED && status) { status.textContent = "disconnected"; }
            };
          }

          // Cancel and retry buttons call the API with the page's cookie.
          function bindAction(button) {
            button.addEventListener("click", function () {
              var path = button.getAttribute("data-action");
              var note = document.getElementById("action-status");
              button.disabled = true;
              fetch(path, { method: "POST", credentials: "same-origin" })
                .then(function (response) {
                  if (response.ok) { location.reload(); return null; }
                  return response.json().then(function (problem) {
                    if (note) { note.textContent = problem.detail || problem.title || ("HTTP " + response.status); }
                    button.disabled = false;
                  });
                })
                .catch(function (error) {
                  if (note) { note.textContent = String(error); }
                  button.disabled = false;
                });
            });
          }

          function start() {
            Array.prototype.forEach.call(document.querySelectorAll("[data-refresh]"), refreshLive);
            Array.prototype.forEach.call(document.querySelectorAll("pre.log[data-follow='true']"), followLog);
            Array.prototype.forEach.call(document.querySelectorAll("button[data-action]"), bindAction);
            var log = document.querySelector("pre.log");
            if (log) { log.scrollTop = log.scrollHeight; }
          }
          if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
        })();
        """#
}
