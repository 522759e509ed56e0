//! Boots the widget into the page body.

fn main() {
    yew::Renderer::<wrapup_live::App>::new().render();
}
