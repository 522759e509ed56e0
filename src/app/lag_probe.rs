//! The lag probe wired to the platform: holds its state and, while switched on, runs
//! `services::lag_probe` on the wrap-ups the live feed offers. Beside App because it calls services;
//! [`LagProbeView`] only renders.

use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::routing::LagTargets;
use crate::components::lag_probe_view::LagProbeView;
use crate::services::api::Api;
use crate::services::lag_probe;
use crate::state::feed::Directory;
use crate::state::lag_probe::{LagProbeAction, LagProbeState};

/// Props for [`LagProbePanel`].
#[derive(Properties, PartialEq)]
pub struct LagProbePanelProps {
    /// The signed-in client (the probe's requests count against its budget).
    pub api: Api,
    /// Wrap-ups the live feed offers.
    pub targets: LagTargets,
    /// Names for codes.
    pub directory: Rc<Directory>,
}

/// The "Lag probe" tab.
#[function_component(LagProbePanel)]
pub fn lag_probe_panel(props: &LagProbePanelProps) -> Html {
    let probe = use_reducer(LagProbeState::default);
    {
        let (probe, targets) = (probe.clone(), props.targets.clone());
        use_effect_with((props.api.clone(), probe.on), move |(api, on)| {
            let running = on.then(|| {
                let (handle, registration) = AbortHandle::new_pair();
                let api = api.clone();
                spawn_local(async move {
                    let run = lag_probe::run(
                        api,
                        move || targets.take_newest(),
                        move |event| probe.dispatch(LagProbeAction::Event(event)),
                    );
                    let _ = Abortable::new(run, registration).await;
                });
                handle
            });
            move || {
                if let Some(handle) = running {
                    handle.abort();
                }
            }
        });
    }
    let on_switch = {
        let probe = probe.clone();
        Callback::from(move |on| probe.dispatch(LagProbeAction::Switch(on)))
    };
    html! {
        <LagProbeView probe={Rc::new((*probe).clone())} directory={props.directory.clone()} {on_switch} />
    }
}
