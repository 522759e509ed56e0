//! Files the person saves or opens: a text download (Export CSV, Download frames) through a Blob, a
//! file grown page by page (the history export), and reading a picked file's text (Import frames).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` as a download named `file_name` of type `mime`; `Err` says what failed.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("the file could not be made: {e:?}"))?;
    download_blob(file_name, &blob)
}

/// A file built a piece at a time (an export written page by page): each piece joins the browser's Blob
/// and is dropped from wasm memory, so the caller never holds more than the piece it appends.
#[derive(Clone, Debug)]
pub struct GrowingFile {
    blob: Blob,
    mime: &'static str,
}

impl GrowingFile {
    /// An empty file of type `mime`.
    pub fn new(mime: &'static str) -> Result<Self, String> {
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        let blob = Blob::new_with_str_sequence_and_options(&js_sys::Array::new(), &options)
            .map_err(|e| format!("the file could not be made: {e:?}"))?;
        Ok(Self { blob, mime })
    }

    /// Appends `text` to the file.
    pub fn append(&mut self, text: &str) -> Result<(), String> {
        let parts = js_sys::Array::of2(&self.blob, &JsValue::from_str(text));
        let options = BlobPropertyBag::new();
        options.set_type(self.mime);
        self.blob = Blob::new_with_blob_sequence_and_options(&parts, &options)
            .map_err(|e| format!("the file could not grow: {e:?}"))?;
        Ok(())
    }

    /// Its size in bytes.
    pub fn size(&self) -> f64 {
        self.blob.size()
    }

    /// Offers the file as a download named `file_name`.
    pub fn download(&self, file_name: &str) -> Result<(), String> {
        download_blob(file_name, &self.blob)
    }

    /// The file's text (tests read an export back with it).
    pub async fn text(&self) -> Result<String, String> {
        JsFuture::from(self.blob.text())
            .await
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| "the file could not be read back".to_owned())
    }
}

fn download_blob(file_name: &str, blob: &Blob) -> Result<(), String> {
    let fail = |what: &str, e: JsValue| format!("{what}: {e:?}");
    let url = Url::create_object_url_with_blob(blob).map_err(|e| fail("no download address", e))?;
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
