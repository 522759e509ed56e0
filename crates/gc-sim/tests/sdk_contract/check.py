"""Holds gc-sim's JSON against Genesys' own SDK models (PureCloudPlatformClientV2, pinned).

Usage: check.py SAMPLES.jsonl   -- one sample per line; prints mismatches, exit 1 if any
       check.py --self-test     -- proves deliberately broken samples are caught

A sample is {"where": "...", "model": "Name" | "list[Name]", "body": ...} for an HTTP answer, or
{"where": "...", "frame": {...}} for a notification frame (the model comes from its topic).
Strict where the SDK is lenient: keys must be in `attribute_map`, enum values must match the
setter's `allowed_values` exactly (the SDK lower-cases, then stores "outdated_sdk_version"),
and every value must fit its `swagger_types` entry.
"""

import ast
import inspect
import json
import re
import sys
from datetime import date, datetime

import PureCloudPlatformClientV2 as sdk

SDK_VERSION = "269.0.0"

# Topic -> event-body model, from notificationMappings.json in the SDK's repository (the wheel
# does not ship it). {id} is a UUID.
TOPIC_MODELS = [
    (r"v2\.users\.{id}\.conversations", "ConversationEventTopicConversation"),
    (r"v2\.users\.{id}\.conversations\.calls", "ConversationCallEventTopicCallConversation"),
    (r"v2\.users\.{id}\.conversations\.callbacks", "ConversationCallbackEventTopicCallbackConversation"),
    (r"v2\.users\.{id}\.conversations\.chats", "ConversationChatEventTopicChatConversation"),
    (r"v2\.users\.{id}\.conversations\.emails", "ConversationEmailEventTopicEmailConversation"),
    (r"v2\.users\.{id}\.conversations\.messages", "ConversationMessageEventTopicMessageConversation"),
    (r"v2\.routing\.queues\.{id}\.conversations", "QueueConversationEventTopicConversation"),
    (r"v2\.routing\.queues\.{id}\.conversations\.calls", "QueueConversationCallEventTopicCallConversation"),
    (r"v2\.routing\.queues\.{id}\.conversations\.callbacks", "QueueConversationCallbackEventTopicCallbackConversation"),
    (r"v2\.routing\.queues\.{id}\.conversations\.chats", "QueueConversationChatEventTopicChatConversation"),
    (r"v2\.routing\.queues\.{id}\.conversations\.emails", "QueueConversationEmailEventTopicEmailConversation"),
    (r"v2\.routing\.queues\.{id}\.conversations\.messages", "QueueConversationMessageEventTopicMessageConversation"),
    (r"v2\.system\.socket_closing", "SystemMessageSystemMessage"),
]
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TOPIC_MODELS = [(re.compile(p.replace("{id}", UUID) + r"\Z"), m) for p, m in TOPIC_MODELS]

# Shapes the SDK has no model for; each written from the SDK source that reads it.
# - OAuth token answer: ApiClient.get_pkce_token reads access_token from the raw JSON
#   (login.{env}/oauth/token is not part of the API definition); RFC 6749 5.1/5.2 name the rest.
# - The frame envelope and channel.metadata: the Python SDK ships no notification handler; the
#   Java SDK's NotificationEvent/Metadata classes define {topicName, version, eventBody,
#   metadata{CorrelationId}}, and heartbeat/pong bodies are {"message": str}.
PSEUDO_MODELS = {
    "OAuthTokenResponse": {"access_token": "str", "token_type": "str", "expires_in": "int",
                           "refresh_token": "str", "scope": "str"},
    # Genesys' login service also repeats error_description as description.
    "OAuthErrorResponse": {"error": "str", "error_description": "str", "description": "str"},
    "NotificationEnvelope": {"topicName": "str", "version": "str", "eventBody": "object",
                             "metadata": "NotificationMetadata"},
    "NotificationMetadata": {"CorrelationId": "str"},
    "ChannelMetadataBody": {"message": "str"},
    # A channel the server no longer knows, reported on the open socket: koodaamo/genesys-notifications
    # messages.py matches {"result": "404"}; message wording unknown (gc-sim's unconfirmed.rs).
    "ChannelResultMessage": {"result": "str", "message": "str"},
}
CHANNEL_RESULTS = {"404"}
CHANNEL_METADATA_MESSAGES = {"WebSocket Heartbeat", "pong"}


def model_fields(name):
    """JSON name -> (swagger type, attribute name or None) for an SDK or pseudo model."""
    if name in PSEUDO_MODELS:
        return {k: (t, None) for k, t in PSEUDO_MODELS[name].items()}
    cls = getattr(sdk, name, None)
    if cls is None:
        raise KeyError(f"SDK {SDK_VERSION} has no model {name}")
    inst = cls()
    return {inst.attribute_map[a]: (t, a) for a, t in inst.swagger_types.items()}


_ALLOWED = {}


def allowed_values(model, attr):
    """The exact enum list in the attribute's setter, or None if the setter takes any value."""
    key = (model, attr)
    if key not in _ALLOWED:
        setter = getattr(getattr(sdk, model), attr).fset
        found = re.search(r"allowed_values = (\[.*?\])\n", inspect.getsource(setter))
        _ALLOWED[key] = ast.literal_eval(found.group(1)) if found else None
    return _ALLOWED[key]


def check(value, typ, path, out, enum=None):
    """Appends "path: problem" to out for every way value does not fit the swagger type."""
    if value is None:
        return
    inner = re.fullmatch(r"list\[(.+)\]", typ)
    if inner:
        if not isinstance(value, list):
            out.append(f"{path}: expected {typ}, got {type(value).__name__}")
            return
        for i, v in enumerate(value):
            check(v, inner.group(1), f"{path}[{i}]", out, enum)
        return
    inner = re.fullmatch(r"dict\(str, (.+)\)", typ)
    if inner:
        if not isinstance(value, dict):
            out.append(f"{path}: expected {typ}, got {type(value).__name__}")
            return
        for k, v in value.items():
            check(v, inner.group(1), f"{path}.{k}", out)
        return
    if typ == "object":
        return
    primitive = PRIMITIVES.get(typ)
    if primitive is not None:
        if not primitive(value):
            out.append(f"{path}: {json.dumps(value)} is not a valid {typ}")
        elif enum is not None and value not in enum:
            out.append(f"{path}: {json.dumps(value)} is not one of {enum}")
        return
    if not isinstance(value, dict):
        out.append(f"{path}: expected {typ} object, got {type(value).__name__}")
        return
    fields = model_fields(typ)
    for key, v in value.items():
        if key not in fields:
            out.append(f"{path}.{key}: no such field in {typ}")
            continue
        sub_type, attr = fields[key]
        sub_enum = allowed_values(typ, attr) if attr else None
        check(v, sub_type, f"{path}.{key}", out, sub_enum)


def _is_datetime(v):
    try:
        return isinstance(v, str) and datetime.fromisoformat(v).tzinfo is not None
    except ValueError:
        return False


def _is_date(v):
    try:
        return isinstance(v, str) and date.fromisoformat(v) is not None and len(v) == 10
    except ValueError:
        return False


PRIMITIVES = {
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "datetime": _is_datetime,
    "date": _is_date,
}


def frame_model(topic):
    for pattern, model in TOPIC_MODELS:
        if pattern.match(topic):
            return model
    return None


def check_sample(sample):
    """Mismatches of one sample, each prefixed with where it came from."""
    out = []
    where = sample["where"]
    if "frame" in sample:
        frame = sample["frame"]
        if "result" in frame and "topicName" not in frame:
            check(frame, "ChannelResultMessage", "frame", out)
            if isinstance(frame.get("result"), str) and frame["result"] not in CHANNEL_RESULTS:
                out.append(f"frame.result: {json.dumps(frame.get('result'))} is not one of {sorted(CHANNEL_RESULTS)}")
            return [f"{where}: {m}" for m in out]
        check(frame, "NotificationEnvelope", "frame", out)
        topic = frame.get("topicName")
        body = frame.get("eventBody")
        if topic == "channel.metadata":
            check(body, "ChannelMetadataBody", "eventBody", out)
            if not isinstance(body, dict) or body.get("message") not in CHANNEL_METADATA_MESSAGES:
                out.append(f"eventBody: {json.dumps(body)} is neither heartbeat nor pong")
        elif frame_model(str(topic)) is None:
            out.append(f"topicName: {topic!r} has no model in the SDK's topic map")
        else:
            for key in ("version", "metadata"):
                if key not in frame:
                    out.append(f"frame.{key}: missing")
            check(body, frame_model(topic), "eventBody", out)
    else:
        check(sample["body"], sample["model"], sample["model"], out)
    return [f"{where}: {m}" for m in out]


def run(samples):
    problems = []
    for s in samples:
        problems.extend(check_sample(s))
    return problems


def self_test():
    """Each broken sample must produce exactly the expected mismatch; the good ones none."""
    code = {"id": "5e3c0a2e-0000-4000-8000-000000000001", "name": "Sale",
            "dateCreated": "2024-01-02T03:04:05.000Z", "createdBy": "someone"}
    topic = "v2.users.5e3c0a2e-0000-4000-8000-000000000001.conversations"
    frame = {"topicName": topic, "version": "2", "metadata": {"CorrelationId": "c"},
             "eventBody": {"id": "x", "participants": [
                 {"id": "p", "purpose": "agent", "calls": [{"state": "connected"}]}]}}

    def broken(path_edit):
        f = json.loads(json.dumps(frame))
        path_edit(f["eventBody"]["participants"][0])
        return {"where": "broken frame", "frame": f}

    cases = [
        ({"where": "good", "model": "WrapupCode", "body": code}, None),
        ({"where": "good", "model": "list[WrapupCode]", "body": [code]}, None),
        ({"where": "good", "frame": frame}, None),
        ({"where": "good", "frame": {"topicName": "channel.metadata",
                                     "eventBody": {"message": "pong"}}}, None),
        ({"where": "good", "frame": {"result": "404", "message": "gone"}}, None),
        ({"where": "result type", "frame": {"result": 404, "message": "gone"}},
         "frame.result: 404 is not a valid str"),
        ({"where": "result key", "frame": {"result": "404", "reason": "gone"}},
         "frame.reason: no such field in ChannelResultMessage"),
        ({"where": "key", "model": "WrapupCode", "body": {**code, "colour": "red"}},
         "WrapupCode.colour: no such field in WrapupCode"),
        ({"where": "nested key", "model": "WrapupCode",
          "body": {**code, "division": {"id": "d", "shade": 1}}},
         "WrapupCode.division.shade: no such field in"),
        ({"where": "type", "model": "WrapupCode", "body": {**code, "createdBy": {"id": "u"}}},
         "WrapupCode.createdBy: {\"id\": \"u\"} is not a valid str"),
        ({"where": "datetime", "model": "WrapupCode", "body": {**code, "dateCreated": "yesterday"}},
         "WrapupCode.dateCreated: \"yesterday\" is not a valid datetime"),
        ({"where": "list", "model": "list[WrapupCode]", "body": [code, {"id": 7}]},
         "list[WrapupCode][1].id: 7 is not a valid str"),
        ({"where": "int", "model": "ErrorBody", "body": {"status": "404"}},
         "ErrorBody.status: \"404\" is not a valid int"),
        (broken(lambda p: p["calls"][0].update(state="ringing")),
         "eventBody.participants[0].calls[0].state: \"ringing\" is not one of"),
        (broken(lambda p: p["calls"][0].update(state="Connected")),
         "eventBody.participants[0].calls[0].state: \"Connected\" is not one of"),
        (broken(lambda p: p.update(wrapupRequired="yes")),
         "eventBody.participants[0].wrapupRequired: \"yes\" is not a valid bool"),
        (broken(lambda p: p.update(chats=[{"direction": "inbound"}])),
         "eventBody.participants[0].chats[0].direction: no such field"),
        ({"where": "topic", "frame": {**frame, "topicName": "v2.users.me.nothing"}},
         "topicName: 'v2.users.me.nothing' has no model"),
        ({"where": "heartbeat", "frame": {"topicName": "channel.metadata",
                                          "eventBody": {"message": "hello"}}},
         "is neither heartbeat nor pong"),
        ({"where": "envelope", "frame": {**frame, "metadata": {"correlationId": "c"}}},
         "frame.metadata.correlationId: no such field in NotificationMetadata"),
    ]
    failures = []
    for sample, expected in cases:
        got = check_sample(sample)
        if expected is None and got:
            failures.append(f"good sample {sample['where']!r} reported {got}")
        elif expected is not None and not (len(got) == 1 and expected in got[0]):
            failures.append(f"{sample['where']!r}: expected one mismatch containing "
                            f"{expected!r}, got {got}")
    for f in failures:
        print(f"SELF-TEST FAILED: {f}")
    print(f"self-test: {len(cases)} cases, {len(failures)} failures")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        samples = [json.loads(line) for line in f if line.strip()]
    problems = run(samples)
    for p in problems:
        print(p)
    print(f"checked {len(samples)} samples against PureCloudPlatformClientV2 {SDK_VERSION}: "
          f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
