// Loads the widget's wasm. Lives in its own file so the Content-Security-Policy forbids inline script.
import init from './wrapup-live.js';

await init({ module_or_path: new URL('./wrapup-live_bg.wasm', import.meta.url) });
