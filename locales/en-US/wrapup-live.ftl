# wrapup-live: every word the widget shows, in English (en-US). English is complete: a message another
# language lacks is shown from here. To translate, copy this file to locales/<tag>/wrapup-live.ftl,
# translate the text after each `=` (keep the ids and the { $variables }), and add the tag to
# LANGUAGES in src/i18n.rs. The catalog tests (cargo test -p wrapup-live i18n) check every file.
#
# Not here, on purpose: the explanations wrapup-core writes (diagnosis evidence, verdict reasons, the
# CLI's text) stay English because the `wrapup` CLI shares them; so do the platform's own error texts.

## Top bar and connection

# Tooltip on the signed-in user's name. $count: queues watched besides the person's own conversations.
top-bar-watching =
    { $count ->
        [0] Watching your conversations
        [one] Watching your conversations and 1 queue
       *[other] Watching your conversations and { $count } queues
    }
top-bar-platform-title = Where the data comes from
sign-out = Sign out

# The connection pill. $heard is one of pill-heard-at / pill-heard-never.
pill-heard-at = last heartbeat at { $time }
pill-heard-never = no heartbeat yet
pill-live = Live
pill-live-title = Connected · { $heard } · { $heartbeats } heartbeats
pill-connecting = Connecting…
pill-connecting-title = Setting up the notification channel
pill-reconnecting = Reconnecting (try { $attempt })
# $reason is the engine's own (English) explanation.
pill-reconnecting-title = Lost the connection: { $reason }. Wrap-ups from the gap are recovered once it is back ({ $heard }).
pill-waiting = Reconnecting in { $seconds } s
pill-waiting-title = Lost the connection: { $reason }. Try { $attempt } starts in { $seconds } s; wrap-ups from the gap are recovered once it is back ({ $heard }).
pill-offline = Offline
pill-stopped-title = Stopped: { $reason } ({ $heard })
pill-not-connected-title = Not connected

## Sign-in card

sign-in-title = Live wrap-up codes
sign-in-lead = See each agent's wrap-up code the moment it is submitted, without waiting for analytics.
sign-in-completing = Completing sign-in to { $platform }…
sign-in-button = Sign in to { $platform }
sign-in-help-simulator = This is the local simulator: pick a user on its sign-in page (the Supervisor sees every queue). No account needed.
sign-in-help-genesys = You will be sent to your Genesys Cloud sign-in page and brought back here. The token stays in this tab's memory only.

## The feed

feed-title = Wrap-ups
feed-title-imported = Imported wrap-ups
feed-rows = { $retained } rows
feed-rows-filtered = { $shown } of { $retained } shown
feed-paused = Paused: { $held } new wrap-up(s) held. Resume to show them in place.
feed-empty-filtered = No row matches these filters. Clear them to see every wrap-up.
feed-empty = Waiting for the first wrap-up. Each one appears here the moment the agent submits it.

# Outcomes: feed counts, badges, filters.
outcome-submitted = Submitted
outcome-timed-out = Timed out
outcome-skipped = Skipped
outcome-not-required = No wrap-up
outcome-pending = Wrapping up

counts-by-outcome = Rows shown, by outcome
counts-by-code = Rows shown, by wrap-up code
counts-show-only = Show only { $code }
# A wrap-up code as listed in counts and filters.
code-none = No code
code-unavailable = { $code } (unavailable)

## Feed toolbar

toolbar-label = Feed filters and actions
toolbar-filters = Filters
toolbar-actions = Actions
filter-agent = Agent
filter-all-agents = All agents
filter-queue = Queue
filter-all-queues = All queues
filter-code = Code
filter-code-label = Wrap-up code
filter-all-codes = All codes
filter-outcome = Outcome
filter-all-outcomes = All outcomes
filter-search = Search
filter-search-placeholder = Name, code, notes or id
filter-search-label = Search rows
filter-clear = Clear filters
toolbar-pause = Pause
toolbar-resume = Resume ({ $held } new)
toolbar-export-csv = Export CSV
toolbar-download-frames = Download frames
toolbar-download-frames-title = The raw notification frames received, for support (wrapup replay reads them)
toolbar-import-frames = Import frames
toolbar-import-frames-title = Replay a frames capture here as an offline feed

## Feed table

col-ended = Ended
col-media = Media
col-notes = Notes
col-acw = ACW
col-arrived = Arrived
col-arrived-title = Time from the agent's Done to the row appearing
row-in-acw = in ACW
row-delay-title = Time from the agent's Done to this row appearing
row-unknown-agent = Unknown agent
row-no-queue = No queue
row-not-visible = { $id } · not visible
row-recovered = recovered
row-recovered-title = Found by gap recovery after a connection gap
code-system-title = { $code }: applied by Genesys Cloud, not chosen by the agent
code-unavailable-row = { $code } · deleted or another division
code-looking-up-title = { $code }: looking up its name
code-none-skipped = Agent skipped after-call work
code-none-not-required = No after-call work on this leg

media-voice = Voice
media-callback = Callback
media-chat = Chat
media-email = Email
media-message = Message
media-video = Video
media-cobrowse = Co-browse
media-screenshare = Screen share
media-other = Other

## Feed files (export, frames)

# $problem is the browser's or the exporter's own explanation.
export-csv-failed = Export CSV failed: { $problem }. The feed is unchanged; try again.
frames-none-yet = No notification frames kept yet: they are recorded from the moment the feed connects.
frames-download-failed = Download frames failed: { $problem }.
frames-import-failed = Import frames: { $problem }. Nothing was changed.
frames-import-partial = Import frames: { $message }
frames-import-whole = Import frames: every line was replayed.
frames-offline-replay = Offline replay of { $file }: { $frames } frame(s), { $wrapups } wrap-up(s), { $pending } still in after-call work. The live feed keeps running behind it.
frames-back-to-live = Back to live feed
feed-announce-new =
    { $count ->
        [one] 1 new wrap-up
       *[other] { $count } new wrap-ups
    }

# The outcomes chart. $bucket is one of chart-bucket-*.
chart-label = Outcomes per { $bucket }, last { $buckets } bucket(s): { $total } wrap-ups, busiest { $peak }
chart-caption = per { $bucket } · peak { $peak }
chart-bucket-minute = minute
chart-bucket-minutes = { $minutes } min
chart-bucket-hours = { $hours } h

## Session countdown (top bar)

# $left is a short duration such as "23 m" or "1 h 05 m".
countdown = Session ends in { $left }
countdown-ended = Session ended
# What a screen reader says.
countdown-ended-spoken = Sign-in session has ended
countdown-spoken-seconds =
    Sign-in session ends in { $seconds ->
        [one] 1 second
       *[other] { $seconds } seconds
    }
countdown-spoken-minutes =
    Sign-in session ends in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }
countdown-spoken-hours =
    Sign-in session ends in { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    } { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }

## Saved feed

saved-feed-not-deleted = The feed saved in this browser could not be deleted on sign-out ({ $problem }). Clear this site's data in the browser settings to remove it.

## Analytics panel

analytics-label = Analytics
tabs-label = Analytics views
tab-conversation = Conversation
tab-history = History
tab-lag-probe = Lag probe

# The name shown for a conversation pasted as JSON.
lookup-pasted-json = pasted JSON
lookup-offline-heading = Offline explanation of { $name }: nothing was requested, the verdicts are exactly what `wrapup explain` says.
lookup-opened-from-feed = Conversation { $id }, opened from the feed.
lookup-opened-by-id = Conversation { $id }, opened by id.
lookup-opened-from-link = Conversation { $id }, opened from the page's link.
lookup-opened-offline = Conversation { $id }, opened offline.

history-export-no-search = no search has run yet
history-export-failed = Export failed: { $problem }. The results are unchanged; try again.

## What the feed watches

watch-label = What the feed watches
watch-picker-label = Choose what the feed watches
watch-legend = Watch
watch-apply = Watch
watch-cancel = Cancel
watch-close = Close
watch-change = Change
watch-try-again = Try again
watch-mode-my-queues = My queues
watch-mode-me = Only my conversations
watch-mode-queues = Chosen queues
watch-mode-agents = Chosen agents
watch-too-many = { $count } chosen: one notification channel takes at most { $max } queues or agents. Choose fewer.
watch-loading-queues = Loading queues…
watch-loading-agents = Loading agents…
watch-filter-queues = Filter queues by name
watch-filter-agents = Filter agents by name
watch-chosen-queues = { $chosen } of { $all } queues chosen
watch-chosen-agents = { $chosen } of { $all } agents chosen
watch-more-match = { $more } more match: type more of the name to narrow the list.
watch-none-visible-queues = You may not see any queues. Ask an admin for the permission to view them.
watch-none-visible-agents = You may not see any agents. Ask an admin for the permission to view them.
# The summary line. $names: the watched queues' or agents' names, comma-separated.
watching-me = Watching your own conversations
watching-my-queues = Watching your queues and your own conversations
watching-my-named-queues = Watching your { $count } queue(s): { $names }
watching-named-queues = Watching { $count } queue(s): { $names }
watching-chosen-queues = Watching { $count } chosen queue(s)
watching-named-agents = Watching { $count } agent(s): { $names }
watching-chosen-agents = Watching { $count } chosen agent(s)

## Conversation lookup

lookup-id-label = Conversation id
lookup-button = Look up
lookup-sign-in-hint = Sign in to look conversations up. An analytics JSON can be explained below without signing in.
lookup-offline-summary = Explain an analytics JSON offline
lookup-json-label = Analytics JSON
lookup-json-placeholder = Paste or drop the body of GET /api/v2/analytics/conversations/{"{"}id{"}"}/details
lookup-explain-json = Explain JSON
lookup-open-json-file = Open JSON file…
# $duration is a short duration such as "1 m 05 s".
lookup-ended-ago = It ended { $duration } ago
lookup-end-unknown = Its end time is not known yet
lookup-fetching = Looking up { $id }…
# $ended is lookup-ended-ago or lookup-end-unknown; $lag is wrapup-core's (English) note on typical indexing lag.
lookup-not-indexed = Not indexed yet: analytics has no record of this conversation so far. { $ended }; { $lag }. Tried { $attempts } time(s).
lookup-wrapup-not-indexed = Wrap-up not indexed yet: the record is there, but it is not final (an agent leg's wrap-up is missing or still open). { $ended }; { $lag }. Tried { $attempts } time(s).
lookup-throttled = Throttled by Genesys Cloud (429): it asked the widget to wait.
lookup-throttled-countdown = throttled, resuming in { $seconds } s
lookup-retry-countdown = Looking again in { $seconds } s
lookup-failed = The lookup failed: { $message }

## Diagnosis: verdicts (the evidence lines and the advice under "Next:" come from wrapup-core, in English)

verdicts-title = Verdict per agent leg
verdicts-conversation = Conversation
verdicts-ended = ended
verdicts-not-ended = no conversationEnd yet
callback-origin = Callback origin:
callback-origin-api = created through the API (POST /api/v2/conversations/callbacks): the customer's callback session holds the earliest segment of the conversation
callback-origin-added = added by an agent or a flow: the customer's callback session starts after the conversation did
callback-origin-unknown = none or unknown: no customer callback session in the record
verdict-coded = Coded
verdict-timed-out = Timed out
verdict-system-code = System code
verdict-skipped = Skipped
verdict-wrapup-without-code = Wrap-up without code
verdict-no-wrapup-phase = No wrap-up phase
verdict-not-answered = Not answered
verdict-in-progress = Not final yet
verdict-no-agent = No agent
leg-no-agent = No agent leg
leg-agent-id = Agent { $id }
leg-agent-no-id = Agent (no user id)
leg-code = Code:
leg-note = Note:
leg-next = Next:
leg-evidence = Evidence

## Diagnosis: real-time comparison (the findings come from wrapup-core, in English)

realtime-title = Side by side with the real-time source
realtime-asking = Asking the real-time API…
realtime-not-found = The real-time API does not have this conversation (404): it may be too old, in another organisation, or the id is wrong.
realtime-failed = The real-time API could not be read: { $problem }
realtime-participant = participant
realtime-col-leg = Agent leg
realtime-col-analytics = Analytics
realtime-col-realtime = Real-time
realtime-col-feed = Feed
realtime-col-finding = Finding
realtime-not-in-record = not in the record
realtime-not-seen = not seen
realtime-attributes-title = Participant data (real-time attributes; not in sync analytics)
realtime-col-key = Key
realtime-col-value = Value
col-participant = Participant

## Diagnosis: timeline (segment kinds and metric names are the API's own)

timeline-title = Timeline
timeline-no-start = no segment start in the record
timeline-span = , span { $span }
timeline-chart-label = Segments of { $count } participants on a time axis
timeline-open = open
timeline-bar-code = , code { $code }
timeline-bar-disconnect = , disconnect { $disconnect }
timeline-legend-interact = interact
timeline-legend-alert = alert
timeline-legend-other = hold / ivr / other
timeline-legend-wrapup = wrap-up (code shown)
timeline-legend-open = open (not final)
timeline-col-metrics = Metrics

## Lag probe

lag-title = Analytics lag, measured here
lag-hint = Takes the newest wrap-up the feed shows live and asks analytics for it every 5 s until its code is there; then the next. One request at a time: at most 12 a minute of the request budget the feed uses too. A wrap-up not indexed within 15 minutes is counted as given up.
lag-start = Measure analytics lag
lag-stop = Stop measuring
# $p50, $p90, $max: short durations such as "1 m 05 s".
lag-stats = { $samples } wrap-up(s) measured · p50 { $p50 } · p90 { $p90 } · max { $max }
lag-none-yet = No wrap-up measured yet.
lag-waiting-index = Waiting for analytics to index the code of conversation { $id } (seen live { $ago } ago).
lag-waiting-next = Waiting for the next submitted wrap-up to arrive live.
lag-off = Off.
lag-gave-up = { $count } wrap-up(s) were not indexed within 15 minutes.
lag-col-lag = Lag

## History (many conversations)

history-title = History: many conversations
history-run-query = Run query
history-run-job = Run as job
history-long-window = This window is longer than a day: an async job reads it in one go.
history-export-ndjson = Export NDJSON
history-export-note = Exports are written page by page as results arrive.
history-any = Any
history-any-queue = Any queue
history-any-agent = Any agent
history-any-media = Any media
history-wrapup = Wrap-up
history-code-present = Code present
history-code-absent = Code absent (null)
history-code-option = Code: { $name }
history-code-timeout = ININ-WRAP-UP-TIMEOUT (timed out)
history-ended-only = Ended only
history-page-size = Page size
history-col-started = Started (UTC)
history-col-data = Data
history-final = final
history-not-final = not final
history-not-final-title = After the data availability date, or still open: this record may change
# The verdict names in the chart are wrapup-core's keys (coded, timed_out, …).
history-chart-label = Verdicts over { $total } agent leg(s)
history-chart-caption = Verdicts per agent leg · { $total } leg(s)

window-legend = Window (UTC)
window-from = From
window-to = To
window-from-utc = From (UTC)
window-to-utc = To (UTC)
window-last-hour = Last hour
window-today = Today (UTC)
window-last-7-days = Last 7 days
# $field is window-from or window-to; $text is what was typed.
window-not-a-date = { $field } "{ $text }" is not a date and time such as 2026-11-30T07:00 (UTC)
window-backwards = The window ends before it starts: make To later than From.
window-days = { $first } to { $last }
window-rule-query = Interval query: Genesys returns every conversation that started on a UTC day the window touches (here { $days }), not only those inside the window. The widget asks one UTC day at a time and keeps the conversations that started inside the window; the others are counted as "outside the window".
window-rule-job = Async job: every conversation with activity during the window, as far as the data lake has it (its data availability date); better for long windows.

# A search in progress.
run-kind-query = interval query
run-kind-job = async job
run-running = running
run-cancelling = cancelling…
run-finished = finished
run-failed = failed
run-cancelled = cancelled
run-cancelled-job = cancelled (job { $state })
run-stage-day = UTC day { $day } of { $days }
run-stage-starting = starting
run-stage-creating-job = creating the job
run-stage-job-created = job created
run-stage-job = job { $state }
run-job-id = job { $id }
run-unavailable-countdown = { $why }; retrying in { $seconds } s
run-counts = { $conversations } conversations · { $records } records read in { $pages } page(s)
run-outside-window = { $count } outside the window (day rule)
run-duplicates = { $count } repeated on shifted pages, kept once
run-availability = Data availability date:
run-availability-after = (UTC). Conversations after it are not final yet and are marked in the table.
run-progress-label = Search progress
run-percent-done = { $percent }% done
run-window = Window { $window }

## The page around the panels (src/app/mod.rs)

app-cannot-start = wrapup-live cannot start: { $problem }
app-popup-handed-back = Signed in. This window closes by itself; if it stays open, close it and return to Genesys Cloud.
notice-sign-in-again = Sign in again
notice-renew-button = Renew sign-in
notice-renew = { $why }Your sign-in ends in a few minutes and cannot be renewed silently. Renew it now to keep the feed live: you pass through the sign-in page and come straight back.
notice-rejected-topics = Genesys Cloud did not subscribe { $count } topic(s), so those queues or agents are not watched (reason in brackets; ask an admin for the missing permission): { $topics }
notice-malformed = Skipped { $count } unreadable notification(s); the feed carries on. Last: { $reason }
notice-session-ended = Your sign-in has reached the end of its lifetime. Sign in again to keep the feed live; rows already shown stay.
watch-choices-failed = Could not list the queues and agents to choose from: { $error }

## Interaction widget (the compact view of one conversation beside the client app)

# $problem is wrapup-core's (English) reason the id was refused.
interaction-unusable-id = The host gave this widget a conversation id it cannot use. { $problem }
interaction-not-found = Genesys Cloud has no conversation { $id } that you can see (404). Check the conversation the widget was opened for; if it has just ended, analytics may still index it, and the widget keeps looking.
# $problem is the platform's own explanation.
interaction-realtime-failed = The live conversation could not be read: { $problem }
interaction-facts-started = Started
interaction-facts-ended = Ended
interaction-facts-still-going-on = still going on
interaction-facts-customer = Customer
interaction-facts-no-ani = no caller number
interaction-facts-contact = Contact
interaction-legs-title = Agent legs
interaction-legs-none = No agent leg yet.
interaction-leg-agent-unknown = Agent (name unknown)
# Tooltip on a leg's live state: where it was read.
interaction-leg-from-feed = From the live feed
interaction-leg-from-realtime = From the real-time conversation, as read when opened
interaction-leg-code = Code:
interaction-leg-analytics = Analytics:
interaction-leg-not-indexed = Analytics: not indexed yet
# An agent leg's live wrap-up state.
interaction-live-connected = On the conversation
interaction-live-pending = In wrap-up (pending)
interaction-live-submitted = Submitted
interaction-live-timed-out = Timed out
interaction-live-skipped = Skipped
interaction-live-not-required = No wrap-up required
interaction-live-ended = Ended, wrap-up not seen yet
# The context lists.
interaction-context-customer-title = The customer's recent conversations
interaction-context-agent-title = The agent's last wrap-ups
interaction-context-loading = Loading…
# After the (English) reason the platform asked the widget to wait.
interaction-context-retry = Trying again in { $seconds } s.
interaction-context-empty = None in the last { $days } days (analytics indexes a conversation a minute or two after it ends).
interaction-context-agent-unknown = Agent
interaction-context-no-code = no code
interaction-no-ani = No caller number (ANI) is known for this conversation, so the customer's history cannot be looked up.
# $media is one of media-* (not voice or callback).
interaction-no-ani-media = { $media } conversations carry no caller number (ANI), so the customer's history cannot be looked up by it.
interaction-no-agent-yet = No agent has joined this conversation yet, so there are no wrap-ups to show.

## The shared connection (one per browser, across tabs and frames)

link-role-paused = Paused by Genesys Cloud: the feed catches up when the app is shown again.
link-role-leading = This window holds the connection; other wrapup-live windows of this browser share it.
link-role-following = Sharing the connection of another wrapup-live window; this one takes over if it closes.

## Toasts in the Genesys Cloud UI

host-toast-submitted-title = Wrap-up submitted
# $agent: host-toast-an-agent when nobody is named; $code: the code's name, or host-toast-no-code.
host-toast-submitted = { $agent }: { $code }
host-toast-timed-out-title = Wrap-up timed out
host-toast-timed-out = { $agent } did not pick a wrap-up code in time; Genesys Cloud applied the timeout code.
# Several wrap-ups at once ($count is 2 or more).
host-toast-many-title = { $count } wrap-ups
host-toast-many = { $submitted } submitted, { $timed_out } timed out.
host-toast-an-agent = An agent
host-toast-no-code = no code

## Saving the feed in this browser (src/services/store.rs)

store-not-saved = This browser would not save the feed ({ $problem }); it still works, but a reload starts empty.
store-not-saved-framed = Inside Genesys Cloud this browser keeps site storage from framed apps, so the feed is not saved here: a reload starts empty. Nothing is lost while the page stays open.
