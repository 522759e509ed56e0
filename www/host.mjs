// A stand-in for the Genesys Cloud UI, for tests and for trying the app locally: it frames each app
// instance from the integration's URL template (www/client-app/*.json) with the placeholders filled
// in and the configured sandbox, records every client-app message it receives (window.hostMessages),
// and can send lifecycle hooks (window.sendHook). Query:
//   app=<app base URL>  sim=<gc-sim URL>  frames=app,widget:<conversationId>,…  lang=<tag>  popup=true|false
const query = new URLSearchParams(location.search);
const appBase = new URL(query.get('app') ?? 'http://127.0.0.1:8080/');
const sim = query.get('sim') ?? 'http://127.0.0.1:8787';
const lang = query.get('lang') ?? 'en-us';
const popup = query.get('popup') ?? 'true';
const frames = (query.get('frames') ?? 'app').split(',').filter(Boolean);

window.hostMessages = [];
window.addEventListener('message', (event) => {
  // Genesys Cloud only listens to its own app frames; so does this page.
  if (event.origin !== appBase.origin) return;
  window.hostMessages.push({ origin: event.origin, frame: slotOf(event.source), data: event.data });
  const item = document.createElement('li');
  item.textContent = `${slotOf(event.source)}: ${JSON.stringify(event.data)}`;
  document.getElementById('log').append(item);
});

function slotOf(source) {
  const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === source);
  return frame?.id ?? 'gone';
}

/** Send a lifecycle hook to the frame with id `frameId`, as the host does. */
window.sendHook = (frameId, hook) => {
  document.getElementById(frameId)?.contentWindow.postMessage(
    { purecloudEventType: 'appLifecycleHook', hook }, appBase.origin);
};

function fill(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name) =>
    name in values ? encodeURIComponent(values[name]) : whole);
}

async function frameFor(spec, index) {
  const [kind, conversationId] = spec.split(':');
  const widget = kind === 'widget';
  const config = await (await fetch(`client-app/${widget ? 'interaction-widget' : 'standalone'}.json`)).json();
  const template = config.properties.url
    .replace('https://HOST/', appBase.href)
    .replace('CLIENT_ID', 'wrapup-live-demo');
  const url = new URL(fill(template, {
    gcHostOrigin: location.origin,
    gcTargetEnv: 'local',
    gcLangTag: lang,
    gcConversationId: conversationId ?? '',
    gcUsePopupAuth: popup,
  }));
  // A local host page names no Genesys environment: the app is told where gc-sim runs.
  url.searchParams.set('sim', sim);
  const slot = document.createElement('article');
  slot.className = `host-slot ${widget ? 'widget' : 'app'}`;
  const title = document.createElement('header');
  title.textContent = widget ? `Interaction widget · ${conversationId}` : 'Client app';
  const frame = document.createElement('iframe');
  frame.id = `frame-${index}`;
  frame.title = title.textContent;
  frame.setAttribute('sandbox', config.properties.sandbox.split(',').join(' '));
  frame.setAttribute('allow', config.properties.permissions.split(',').join('; '));
  frame.src = url.href;
  slot.append(title, frame);
  document.getElementById('frames').append(slot);
}

for (const [index, spec] of frames.entries()) await frameFor(spec, index);
