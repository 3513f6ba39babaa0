//! Entry point of the worker binary that Trunk loads through `worker_loader.js`.

fn main() {
    tempora_worker::driver::start();
}
