//! Realistic synthetic Notification API traffic for the replay benchmark and `examples/gen_frames.rs`.
//! Shapes follow reference §4.7: whole-conversation snapshots with customer, acd and agent participants.

/// Deterministic ids (no RNG crate needed): a 64-bit LCG turned into UUID-looking strings.
pub struct Ids(u64);

impl Ids {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn uuid(&mut self) -> String {
        let mut next = || {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 16
        };
        let (a, b, c) = (next(), next(), next());
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            a as u32,
            (b >> 16) as u16,
            b & 0xfff,
            (c >> 40) & 0xfff,
            c & 0xffff_ffff_ffff
        )
    }
}

fn call(id: &str, state: &str, connected: &str, acw: &str, wrapup: &str, address: &str) -> String {
    format!(
        r#"{{"id":"{id}","state":"{state}","initialState":"alerting","recording":true,"recordingState":"active","muted":false,"confined":false,"held":false,"securePause":false,"disconnectType":{disc},"direction":"inbound","self":{{"nameRaw":"","addressNormalized":"tel:+18005550199","addressRaw":"+18005550199","addressDisplayable":"+1 800-555-0199"}},"other":{{"nameRaw":"","addressNormalized":"{address}","addressRaw":"+13175550100","addressDisplayable":"+1 317-555-0100"}},"provider":"Edge","peerId":"{id}","connectedTime":"{connected}","disconnectReasons":[],"afterCallWorkRequired":true{acw}{wrapup}}}"#,
        disc = if state == "disconnected" {
            r#""endpoint""#
        } else {
            "null"
        },
    )
}

/// The frames of one inbound voice conversation on the agent's user topic: alerting, connected, disconnected with
/// ACW pending, wrap-up submitted (code, timeout or skip), then the customer leaving.
pub fn conversation_frames(ids: &mut Ids, minute: u32, outcome: u32) -> Vec<String> {
    let conversation = ids.uuid();
    let (customer, acd, agent, user, queue) =
        (ids.uuid(), ids.uuid(), ids.uuid(), ids.uuid(), ids.uuid());
    let (c1, c2, c3) = (ids.uuid(), ids.uuid(), ids.uuid());
    let t = |s: u32| {
        format!(
            "2024-05-01T{:02}:{:02}:{:02}.{:03}Z",
            8 + (minute / 60) % 12,
            minute % 60,
            s % 60,
            (s * 37) % 1000
        )
    };
    let code = match outcome % 5 {
        0 => "ININ-WRAP-UP-TIMEOUT".to_owned(),
        _ => ids.uuid(),
    };
    let phases: [(&str, &str, String, String, &str); 5] = [
        (
            "connected",
            "alerting",
            String::new(),
            String::new(),
            "connected",
        ),
        (
            "connected",
            "connected",
            String::new(),
            String::new(),
            "connected",
        ),
        (
            "connected",
            "disconnected",
            format!(
                r#","afterCallWork":{{"state":"pending","startTime":"{}"}}"#,
                t(40)
            ),
            String::new(),
            "connected",
        ),
        (
            "connected",
            "disconnected",
            format!(
                r#","afterCallWork":{{"state":"complete","startTime":"{}","endTime":"{}"}}"#,
                t(40),
                t(57)
            ),
            format!(
                r#","wrapup":{{"code":"{code}","notes":"caller asked about invoice 4411","tags":[],"durationSeconds":17,"endTime":"{}"}}"#,
                t(57)
            ),
            "connected",
        ),
        (
            "disconnected",
            "disconnected",
            format!(
                r#","afterCallWork":{{"state":"complete","startTime":"{}","endTime":"{}"}}"#,
                t(40),
                t(57)
            ),
            format!(
                r#","wrapup":{{"code":"{code}","notes":"caller asked about invoice 4411","tags":[],"durationSeconds":17,"endTime":"{}"}}"#,
                t(57)
            ),
            "disconnected",
        ),
    ];
    phases
        .iter()
        .enumerate()
        .map(|(i, (customer_state, agent_state, acw, wrapup, acd_state))| {
            let agent_connected = if i == 0 { String::new() } else { t(5) };
            let acw_times = if i >= 2 { format!(r#","startAcwTime":"{}""#, t(40)) } else { String::new() }
                + &if i >= 3 { format!(r#","endAcwTime":"{}""#, t(57)) } else { String::new() };
            let customer_call = call(&c1, customer_state, &t(1), "", "", "tel:+13175550100");
            let acd_call = call(&c2, acd_state, &t(2), "", "", "tel:+13175550100");
            let agent_call = call(&c3, agent_state, &agent_connected, acw, wrapup, "tel:+13175550100");
            let empty = r#""callbacks":[],"chats":[],"cobrowsesessions":[],"emails":[],"messages":[],"internalMessages":[],"screenshares":[],"socialExpressions":[],"videos":[],"additionalProperties":{}"#;
            format!(
                concat!(
                    r#"{{"topicName":"v2.users.{user}.conversations","version":"2","eventBody":{{"id":"{conversation}","maxParticipants":3,"#,
                    r#""participants":["#,
                    r#"{{"id":"{customer}","connectedTime":"{t1}","name":"Jane Customer","purpose":"customer","address":"tel:+13175550100","wrapupRequired":false,"mediaRoles":[],"attributes":{{"ivr.language":"en-US","caseId":"CASE-{minute}"}},"calls":[{customer_call}],{empty}}},"#,
                    r#"{{"id":"{acd}","connectedTime":"{t2}","endTime":"{t5}","name":"Support","queueId":"{queue}","purpose":"acd","wrapupRequired":false,"mediaRoles":[],"attributes":{{}},"conversationRoutingData":{{"queue":{{"id":"{queue}"}},"priority":0,"skills":[],"scoredAgents":[]}},"calls":[{acd_call}],{empty}}},"#,
                    r#"{{"id":"{agent}","connectedTime":"{agent_connected}","name":"Alex Agent","userId":"{user}","queueId":"{queue}","purpose":"agent","wrapupRequired":true,"wrapupExpected":true,"wrapupPrompt":"mandatory","wrapupTimeoutMs":60000,"alertingTimeoutMs":8000{acw_times},"mediaRoles":[],"attributes":{{}},"calls":[{agent_call}],{empty}}}"#,
                    r#"],"recentTransfers":[],"recordingState":"active","securePause":false,"divisions":[{{"division":{{"id":"{queue}"}},"entities":[{{"id":"{user}"}}]}}]}},"#,
                    r#""metadata":{{"CorrelationId":"{correlation}"}}}}"#
                ),
                user = user,
                conversation = conversation,
                customer = customer,
                acd = acd,
                agent = agent,
                queue = queue,
                t1 = t(1),
                t2 = t(2),
                t5 = t(5),
                minute = minute,
                customer_call = customer_call,
                acd_call = acd_call,
                agent_call = agent_call,
                empty = empty,
                agent_connected = agent_connected,
                acw_times = acw_times,
                correlation = format!("{conversation}-{i}"),
            )
        })
        .collect()
}

/// `count` frames: conversations interleaved in groups of 8 (as on a busy queue), a heartbeat every 500 frames.
pub fn traffic(count: usize, seed: u64) -> Vec<String> {
    let mut ids = Ids::new(seed);
    let mut frames = Vec::with_capacity(count + 16);
    let mut minute = 0;
    while frames.len() < count {
        let group: Vec<Vec<String>> = (0..8)
            .map(|k| conversation_frames(&mut ids, minute, minute * 8 + k))
            .collect();
        minute += 1;
        for step in 0..group[0].len() {
            for conversation in &group {
                frames.push(conversation[step].clone());
                if frames.len() % 500 == 0 {
                    frames.push(r#"{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}"#.to_owned());
                }
            }
        }
    }
    frames.truncate(count);
    frames
}
