//! Traffic: seeded conversation plans (background, scripted, API callbacks) and the runner that
//! plays a plan through the world, publishing a whole-conversation snapshot after every change.

mod generate;
mod plan;
mod runner;
mod script;

pub use generate::{PlanGen, callback_plan};
pub use plan::{AcwPlan, LegKind};
pub use runner::{generator, launch};
pub use script::{Script, scripted_plan};
