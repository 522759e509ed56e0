//! Which Genesys Cloud environment (or local gc-sim) the widget talks to, decided in one place.
//! Only the 17 known environment domains and loopback simulators are ever accepted.

use std::fmt;

use url::{Host, Url};

/// One Genesys Cloud environment from the SDK region tables (reference §1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Environment {
    /// SDK region key, e.g. `eu_west_1`.
    pub region: &'static str,
    /// Environment domain, e.g. `mypurecloud.ie`; hosts are `api.`, `login.`, `apps.`, `streaming.` under it.
    pub domain: &'static str,
}

/// Every environment the widget may talk to. A domain not listed here is refused.
pub const ENVIRONMENTS: &[Environment] = &[
    Environment {
        region: "us_east_1",
        domain: "mypurecloud.com",
    },
    Environment {
        region: "eu_west_1",
        domain: "mypurecloud.ie",
    },
    Environment {
        region: "ap_southeast_2",
        domain: "mypurecloud.com.au",
    },
    Environment {
        region: "ap_northeast_1",
        domain: "mypurecloud.jp",
    },
    Environment {
        region: "eu_central_1",
        domain: "mypurecloud.de",
    },
    Environment {
        region: "us_west_2",
        domain: "usw2.pure.cloud",
    },
    Environment {
        region: "ca_central_1",
        domain: "cac1.pure.cloud",
    },
    Environment {
        region: "ap_northeast_2",
        domain: "apne2.pure.cloud",
    },
    Environment {
        region: "eu_west_2",
        domain: "euw2.pure.cloud",
    },
    Environment {
        region: "ap_south_1",
        domain: "aps1.pure.cloud",
    },
    Environment {
        region: "us_east_2",
        domain: "use2.us-gov-pure.cloud",
    },
    Environment {
        region: "sa_east_1",
        domain: "sae1.pure.cloud",
    },
    Environment {
        region: "me_central_1",
        domain: "mec1.pure.cloud",
    },
    Environment {
        region: "ap_northeast_3",
        domain: "apne3.pure.cloud",
    },
    Environment {
        region: "eu_central_2",
        domain: "euc2.pure.cloud",
    },
    Environment {
        region: "mx_central_1",
        domain: "mxc1.pure.cloud",
    },
    Environment {
        region: "ap_southeast_1",
        domain: "apse1.pure.cloud",
    },
];

/// Where gc-sim listens when nothing else is configured (`cargo xtask demo`).
pub const DEFAULT_SIMULATOR_ORIGIN: &str = "http://127.0.0.1:8787";

/// The OAuth client id gc-sim registers for the demo.
pub const SIMULATOR_CLIENT_ID: &str = "wrapup-live-demo";

/// The service the widget is connected to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Platform {
    /// A real Genesys Cloud environment.
    Genesys(Environment),
    /// gc-sim on a loopback origin such as `http://127.0.0.1:8787`.
    Simulator {
        /// Scheme, loopback host and port; API, login and streaming all live here.
        origin: Url,
    },
}

/// Why a platform or launch parameter was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformError {
    /// The domain is not one of [`ENVIRONMENTS`].
    UnknownEnvironment(String),
    /// A simulator origin that is not `http(s)://` on a loopback address.
    NotLoopback(String),
    /// A value that is not a URL at all.
    Malformed(String),
    /// A real environment was chosen but no OAuth client id was given.
    MissingClientId,
    /// `gcHostOrigin` is not the Genesys Cloud UI of a known environment (`https://apps.{env}`).
    NotGenesysHost(String),
    /// A loopback host page (for development) framing a real environment instead of gc-sim.
    LocalHostForRealOrg(String),
}

impl fmt::Display for PlatformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEnvironment(d) => write!(
                f,
                "\"{d}\" is not a Genesys Cloud environment this widget knows; use a domain such as mypurecloud.com or euw2.pure.cloud"
            ),
            Self::NotLoopback(o) => write!(
                f,
                "the simulator address \"{o}\" is not on this computer; gc-sim must run on localhost or 127.0.0.1"
            ),
            Self::Malformed(v) => write!(f, "\"{v}\" is not a valid address"),
            Self::MissingClientId => write!(
                f,
                "this widget needs your OAuth client id to sign in to Genesys Cloud: add clientId=<id> to its URL"
            ),
            Self::NotGenesysHost(o) => write!(
                f,
                "the host origin \"{o}\" is not the Genesys Cloud app of a known environment (https://apps.<environment>); check the app URL in the integration's configuration"
            ),
            Self::LocalHostForRealOrg(o) => write!(
                f,
                "the local host page \"{o}\" may only frame gc-sim, not a real Genesys Cloud org; open the widget inside Genesys Cloud instead"
            ),
        }
    }
}

impl std::error::Error for PlatformError {}

impl Platform {
    /// A real environment from a domain, tolerating the forms people paste:
    /// `mypurecloud.ie`, `api.mypurecloud.ie`, `https://apps.mypurecloud.ie/`.
    pub fn from_domain(value: &str) -> Result<Self, PlatformError> {
        let trimmed = value.trim().trim_end_matches('/');
        let host = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .unwrap_or(trimmed)
            .to_ascii_lowercase();
        let bare = ["api.", "login.", "apps.", "streaming."]
            .iter()
            .find_map(|prefix| host.strip_prefix(prefix))
            .unwrap_or(&host);
        ENVIRONMENTS
            .iter()
            .find(|env| env.domain == bare)
            .map(|env| Self::Genesys(*env))
            .ok_or_else(|| PlatformError::UnknownEnvironment(value.to_owned()))
    }

    /// The environment of the Genesys UI that hosts a client app (`gcHostOrigin`): exactly
    /// `https://apps.{env}` for a known environment. A loopback origin is a developer's host page
    /// (`www/host.html`) and names no environment (`None`): the platform then comes from `sim`/`env`.
    pub fn from_host_origin(origin: &str) -> Result<Option<Self>, PlatformError> {
        let url = Url::parse(origin).map_err(|_| PlatformError::Malformed(origin.to_owned()))?;
        if is_loopback(&url) {
            return Ok(None);
        }
        let not_a_host = || PlatformError::NotGenesysHost(origin.to_owned());
        let bare_origin = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
        if url.scheme() != "https" || url.port().is_some() || !bare_origin {
            return Err(not_a_host());
        }
        let domain = url
            .host_str()
            .and_then(|host| host.strip_prefix("apps."))
            .ok_or_else(not_a_host)?;
        ENVIRONMENTS
            .iter()
            .find(|env| env.domain == domain)
            .map(|env| Some(Self::Genesys(*env)))
            .ok_or_else(not_a_host)
    }

    /// gc-sim at an origin, which must be loopback.
    pub fn simulator(origin: &str) -> Result<Self, PlatformError> {
        let url = Url::parse(origin).map_err(|_| PlatformError::Malformed(origin.to_owned()))?;
        if !is_loopback(&url) {
            return Err(PlatformError::NotLoopback(origin.to_owned()));
        }
        let origin = Url::parse(&url.origin().ascii_serialization())
            .map_err(|_| PlatformError::Malformed(origin.to_owned()))?;
        Ok(Self::Simulator { origin })
    }

    /// Base of the REST API; join `api/v2/...` onto it.
    pub fn api_base(&self) -> Url {
        match self {
            Self::Genesys(env) => https_host("api", env.domain),
            Self::Simulator { origin } => origin.clone(),
        }
    }

    /// Base of the login service (`oauth/authorize`, `oauth/token`, `logout`).
    pub fn login_base(&self) -> Url {
        match self {
            Self::Genesys(env) => https_host("login", env.domain),
            Self::Simulator { origin } => origin.clone(),
        }
    }

    /// Whether a URL handed to us by the platform (a channel's `connectUri`, a `nextUri`) points
    /// at a host of this platform. Anything else is refused so a token or channel never leaks.
    pub fn allows(&self, url: &Url) -> bool {
        match self {
            Self::Genesys(env) => {
                let secure = matches!(url.scheme(), "https" | "wss");
                let host = url.host_str().unwrap_or_default();
                let of_env = ["api", "login", "apps", "streaming"].iter().any(|prefix| {
                    host.strip_prefix(prefix)
                        .and_then(|rest| rest.strip_prefix('.'))
                        == Some(env.domain)
                });
                secure && of_env && url.port().is_none()
            }
            // is_loopback also limits the scheme to http(s)/ws(s).
            Self::Simulator { origin } => {
                is_loopback(url) && url.port_or_known_default() == origin.port_or_known_default()
            }
        }
    }

    /// A short human label, e.g. `Genesys Cloud (mypurecloud.ie)` or `gc-sim (127.0.0.1:8787)`.
    pub fn label(&self) -> String {
        match self {
            Self::Genesys(env) => format!("Genesys Cloud ({})", env.domain),
            Self::Simulator { origin } => {
                let host = origin.host_str().unwrap_or_default();
                match origin.port() {
                    Some(port) => format!("gc-sim ({host}:{port})"),
                    None => format!("gc-sim ({host})"),
                }
            }
        }
    }

    /// Whether this is the local simulator.
    pub fn is_simulator(&self) -> bool {
        matches!(self, Self::Simulator { .. })
    }
}

fn https_host(service: &str, domain: &str) -> Url {
    Url::parse(&format!("https://{service}.{domain}/")).expect("known domains form valid URLs")
}

fn is_loopback(url: &Url) -> bool {
    let scheme_ok = matches!(url.scheme(), "http" | "https" | "ws" | "wss");
    let host_ok = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    scheme_ok && host_ok
}

/// What the widget was launched with, read from its page URL's query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    /// The service to sign in to and call.
    pub platform: Platform,
    /// The OAuth client id (implicit grant) registered for this widget.
    pub client_id: String,
    /// The conversation to open: the interaction an interaction widget was opened for
    /// (`gcConversationId`), or the widget's own deep link (`conversation`).
    pub conversation_id: Option<String>,
    /// Whether this is an interaction-widget instance (the host gave `gcConversationId`/`pcConversationId`),
    /// which shows the compact view of `conversation_id`.
    pub interaction: bool,
    /// The Genesys UI origin hosting this client app, if embedded (`gcHostOrigin`). The only origin
    /// the widget posts to and accepts host messages from.
    pub host_origin: Option<String>,
    /// The host's environment name (`gcTargetEnv`, e.g. `prod-euw2`), carried as given: the
    /// names are not published with the domains (reference §3.1), so only the host origin is checked.
    pub target_env: Option<String>,
    /// The user's language tag from the host (`gcLangTag`/`pcLangTag`), if given.
    pub lang_tag: Option<String>,
    /// The host asks for sign-in in a popup (`gcUsePopupAuth`/`pcUsePopupAuth`): its frame cannot
    /// show the login page.
    pub popup_auth: bool,
}

impl Launch {
    /// Resolve the launch from query pairs. Precedence: `gcHostOrigin` (client app), then
    /// `gcEnvironment`/`pcEnvironment`/`env` (a domain), then `sim` (a loopback origin), else the
    /// default simulator. Placeholders the host did not substitute (`{{…}}`) count as absent.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, PlatformError> {
        let pairs: Vec<(&str, &str)> = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty() && !v.contains("{{"))
            .collect();
        let get = |names: &[&str]| {
            names.iter().find_map(|name| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.trim().to_owned())
            })
        };
        let host_origin = get(&["gcHostOrigin"]);
        let host_platform = match &host_origin {
            Some(origin) => Platform::from_host_origin(origin)?,
            None => None,
        };
        let platform = if let Some(platform) = host_platform {
            platform
        } else if let Some(domain) = get(&["gcEnvironment", "pcEnvironment", "env"]) {
            Platform::from_domain(&domain)?
        } else if let Some(origin) = get(&["sim"]) {
            Platform::simulator(&origin)?
        } else {
            Platform::simulator(DEFAULT_SIMULATOR_ORIGIN)?
        };
        let host_origin = host_origin
            .map(|origin| Self::checked_host(origin, &platform))
            .transpose()?;
        let client_id = match (get(&["clientId", "client_id"]), &platform) {
            (Some(id), _) => id,
            (None, Platform::Simulator { .. }) => SIMULATOR_CLIENT_ID.to_owned(),
            (None, Platform::Genesys(_)) => return Err(PlatformError::MissingClientId),
        };
        let interaction_id = get(&["gcConversationId", "pcConversationId"]);
        Ok(Self {
            platform,
            client_id,
            interaction: interaction_id.is_some(),
            // `conversation` is the widget's own deep link (`?conversation={id}` opens it in the analytics panel).
            conversation_id: interaction_id.or_else(|| get(&["conversationId", "conversation"])),
            host_origin,
            target_env: get(&["gcTargetEnv"]),
            lang_tag: get(&["gcLangTag", "pcLangTag"]),
            popup_auth: get(&["gcUsePopupAuth", "pcUsePopupAuth"])
                .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes")),
        })
    }

    /// A host origin as the widget keeps it (an origin, no trailing slash), checked against the
    /// platform: a Genesys host must be that environment's app; a loopback host page only frames gc-sim.
    pub fn checked_host(origin: String, platform: &Platform) -> Result<String, PlatformError> {
        match Platform::from_host_origin(&origin)? {
            Some(host) if &host == platform => {}
            Some(_) => return Err(PlatformError::NotGenesysHost(origin)),
            None if platform.is_simulator() => {}
            None => return Err(PlatformError::LocalHostForRealOrg(origin)),
        }
        let url = Url::parse(&origin).map_err(|_| PlatformError::Malformed(origin.clone()))?;
        Ok(url.origin().ascii_serialization())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_in_every_pasted_form_resolve() {
        for value in [
            "mypurecloud.ie",
            "api.mypurecloud.ie",
            "https://apps.mypurecloud.ie/",
            "LOGIN.MyPureCloud.IE",
        ] {
            assert_eq!(
                Platform::from_domain(value).unwrap().api_base().as_str(),
                "https://api.mypurecloud.ie/"
            );
        }
        let fedramp = Platform::from_domain("use2.us-gov-pure.cloud").unwrap();
        assert_eq!(
            fedramp.login_base().as_str(),
            "https://login.use2.us-gov-pure.cloud/"
        );
    }

    #[test]
    fn unknown_and_lookalike_domains_are_refused() {
        for value in [
            "mypurecloud.au",
            "evil.com",
            "mypurecloud.ie.evil.com",
            "pure.cloud",
            "",
        ] {
            assert!(
                matches!(
                    Platform::from_domain(value),
                    Err(PlatformError::UnknownEnvironment(_))
                ),
                "{value}"
            );
        }
    }

    #[test]
    fn host_origin_must_be_the_app_of_a_known_environment() {
        let p = Platform::from_host_origin("https://apps.mypurecloud.jp").unwrap();
        assert_eq!(
            p,
            Some(Platform::Genesys(Environment {
                region: "ap_northeast_1",
                domain: "mypurecloud.jp"
            }))
        );
        assert_eq!(
            Platform::from_host_origin("https://apps.mypurecloud.jp/").unwrap(),
            p
        );
        for refused in [
            "http://apps.mypurecloud.jp",
            "https://api.mypurecloud.jp",
            "https://mypurecloud.jp",
            "https://apps.mypurecloud.jp:8443",
            "https://apps.mypurecloud.jp/directory",
            "https://apps.mypurecloud.jp.evil.com",
            "https://evilapps.mypurecloud.jp",
            "https://apps.mypurecloud.au",
        ] {
            assert!(
                matches!(
                    Platform::from_host_origin(refused),
                    Err(PlatformError::NotGenesysHost(_))
                ),
                "{refused}"
            );
        }
        assert_eq!(
            Platform::from_host_origin("http://localhost:3000"),
            Ok(None),
            "a local host page names no environment"
        );
    }

    #[test]
    fn a_local_host_page_frames_only_the_simulator() {
        let local = Launch::from_query([
            ("gcHostOrigin", "http://localhost:5000/"),
            ("sim", "http://127.0.0.1:8787"),
            ("gcConversationId", "c-9"),
            ("gcUsePopupAuth", "true"),
            ("gcTargetEnv", "prod"),
        ])
        .unwrap();
        assert!(local.platform.is_simulator());
        assert_eq!(local.platform.api_base().as_str(), "http://127.0.0.1:8787/");
        assert_eq!(local.host_origin.as_deref(), Some("http://localhost:5000"));
        assert!(local.interaction && local.popup_auth);
        assert_eq!(local.target_env.as_deref(), Some("prod"));
        assert_eq!(
            Launch::from_query([
                ("gcHostOrigin", "http://localhost:5000"),
                ("env", "mypurecloud.ie"),
                ("clientId", "abc"),
            ]),
            Err(PlatformError::LocalHostForRealOrg(
                "http://localhost:5000".into()
            ))
        );
        let not_popup = Launch::from_query([("gcUsePopupAuth", "false")]).unwrap();
        assert!(!not_popup.popup_auth && !not_popup.interaction);
    }

    #[test]
    fn simulator_must_be_loopback() {
        assert!(Platform::simulator("http://127.0.0.1:9000").is_ok());
        assert!(Platform::simulator("http://[::1]:9000").is_ok());
        assert!(Platform::simulator("http://localhost:9000/path").is_ok());
        assert!(matches!(
            Platform::simulator("http://10.0.0.1:9000"),
            Err(PlatformError::NotLoopback(_))
        ));
        assert!(matches!(
            Platform::simulator("http://localhost.evil.com"),
            Err(PlatformError::NotLoopback(_))
        ));
        assert!(matches!(
            Platform::simulator("not a url"),
            Err(PlatformError::Malformed(_))
        ));
    }

    #[test]
    fn allows_only_the_platforms_own_hosts() {
        let ie = Platform::from_domain("mypurecloud.ie").unwrap();
        let ok = [
            "wss://streaming.mypurecloud.ie/channels/streaming-0-abc",
            "https://api.mypurecloud.ie/api/v2/users",
        ];
        for u in ok {
            assert!(ie.allows(&Url::parse(u).unwrap()), "{u}");
        }
        let bad = [
            "ws://streaming.mypurecloud.ie/channels/x",
            "wss://streaming.mypurecloud.com/channels/x",
            "wss://streaming.mypurecloud.ie.evil.com/channels/x",
            "wss://evilstreaming.mypurecloud.ie/channels/x",
            "https://api.mypurecloud.ie:8443/api/v2",
        ];
        for u in bad {
            assert!(!ie.allows(&Url::parse(u).unwrap()), "{u}");
        }
        let sim = Platform::simulator("http://127.0.0.1:8787").unwrap();
        assert!(sim.allows(&Url::parse("ws://127.0.0.1:8787/channels/x").unwrap()));
        assert!(!sim.allows(&Url::parse("ws://127.0.0.1:9999/channels/x").unwrap()));
        assert!(!sim.allows(&Url::parse("ws://example.com:8787/channels/x").unwrap()));
    }

    #[test]
    fn launch_precedence_and_defaults() {
        let default = Launch::from_query([]).unwrap();
        assert_eq!(
            default.platform.api_base().as_str(),
            "http://127.0.0.1:8787/"
        );
        assert_eq!(default.client_id, SIMULATOR_CLIENT_ID);

        let app = Launch::from_query([
            ("gcHostOrigin", "https://apps.euw2.pure.cloud"),
            ("gcTargetEnv", "prod-euw2"),
            ("env", "mypurecloud.com"),
            ("clientId", "abc"),
            ("gcConversationId", "{{gcConversationId}}"),
        ])
        .unwrap();
        assert_eq!(
            app.platform.api_base().as_str(),
            "https://api.euw2.pure.cloud/"
        );
        assert_eq!(
            app.conversation_id, None,
            "an unsubstituted placeholder is absent"
        );
        assert_eq!(
            app.host_origin.as_deref(),
            Some("https://apps.euw2.pure.cloud")
        );

        assert_eq!(
            Launch::from_query([("env", "mypurecloud.de")]),
            Err(PlatformError::MissingClientId)
        );
        let sim = Launch::from_query([("sim", "http://localhost:4000"), ("conversationId", "c-1")])
            .unwrap();
        assert_eq!(sim.platform.label(), "gc-sim (localhost:4000)");
        assert_eq!(sim.conversation_id.as_deref(), Some("c-1"));
        let deep_link = Launch::from_query([("conversation", "c-2")]).unwrap();
        assert_eq!(deep_link.conversation_id.as_deref(), Some("c-2"));
        assert!(!deep_link.interaction, "a deep link opens the full widget");
        let both =
            Launch::from_query([("conversation", "c-2"), ("gcConversationId", "c-3")]).unwrap();
        assert_eq!(
            both.conversation_id.as_deref(),
            Some("c-3"),
            "the host's placeholder wins"
        );
        assert!(both.interaction);
    }
}
