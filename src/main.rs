//! Tempora's dashboard entry point: panic hook, logging, mount.

fn main() {
    console_error_panic_hook::set_once();
    console_log::init_with_level(log::Level::Info).ok();
    leptos::mount::mount_to_body(tempora_ui::app::App);
}
