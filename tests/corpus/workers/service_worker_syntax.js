// Service-worker syntax Worker (pre-modules): bindings are globals, events via addEventListener.
/* global REDIRECTS, ANALYTICS_HOST */

async function handleRequest(request) {
  const url = new URL(request.url);
  const target = await REDIRECTS.get(url.pathname);
  if (target) {
    return Response.redirect(target, 301);
  }
  const response = await fetch(request);
  const copy = new Response(response.body, response);
  copy.headers.set("x-worker", "legacy");
  return copy;
}

async function ping(event) {
  await fetch(`https://${ANALYTICS_HOST}/ping`, { method: "POST", body: String(event.scheduledTime) });
}

addEventListener("fetch", (event) => {
  event.respondWith(
    handleRequest(event.request).catch((err) => new Response(`error: ${err.message}`, { status: 500 })),
  );
});

addEventListener("scheduled", (event) => {
  event.waitUntil(ping(event));
});
