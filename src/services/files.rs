//! Files the person saves or opens: a text download (Export CSV, Download frames) through a Blob,
//! and reading a picked file's text (Import frames).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` as a download named `file_name` of type `mime`; `Err` says what failed.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str, e: JsValue| format!("{what}: {e:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| fail("the file could not be made", e))?;
    let url =
        Url::create_object_url_with_blob(&blob).map_err(|e| fail("no download address", e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document to download from")?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| fail("no link", e))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The click has started the download; the address can go once this task ends.
    let revoke = url.clone();
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::sleep(std::time::Duration::from_secs(10)).await;
        let _ = Url::revoke_object_url(&revoke);
    });
    Ok(())
}

/// The text of a file the person picked.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{} could not be read: {e:?}", file.name()))?;
    text.as_string()
        .ok_or_else(|| format!("{} is not a text file", file.name()))
}
