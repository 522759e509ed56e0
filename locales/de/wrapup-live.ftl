# wrapup-live auf Deutsch (de). Fehlt hier eine Meldung, zeigt das Widget sie auf Englisch
# (locales/en-US/wrapup-live.ftl). Ids und { $Variablen } bleiben wie im Englischen; die Tests
# prüfen das.
#
# Englisch bleiben mit Absicht: die Erklärungen aus wrapup-core (Belege, Begründungen, Texte der
# CLI `wrapup`) und Fehlertexte der Plattform; sie erscheinen hier als { $reason }, { $problem } usw.

## Kopfzeile und Verbindung

top-bar-watching =
    { $count ->
        [0] Beobachtet Ihre Gespräche
        [one] Beobachtet Ihre Gespräche und 1 Warteschlange
       *[other] Beobachtet Ihre Gespräche und { $count } Warteschlangen
    }
top-bar-platform-title = Woher die Daten kommen
sign-out = Abmelden

pill-heard-at = letzter Heartbeat um { $time }
pill-heard-never = noch kein Heartbeat
pill-live = Live
pill-live-title = Verbunden · { $heard } · { $heartbeats } Heartbeats
pill-connecting = Verbinde…
pill-connecting-title = Der Benachrichtigungskanal wird eingerichtet
pill-reconnecting = Neu verbinden (Versuch { $attempt })
pill-reconnecting-title = Verbindung verloren: { $reason }. Wrap-ups aus der Lücke werden nachgeholt, sobald sie wieder steht ({ $heard }).
pill-waiting = Neuer Versuch in { $seconds } s
pill-waiting-title = Verbindung verloren: { $reason }. Versuch { $attempt } startet in { $seconds } s; Wrap-ups aus der Lücke werden nachgeholt, sobald sie wieder steht ({ $heard }).
pill-offline = Offline
pill-stopped-title = Angehalten: { $reason } ({ $heard })
pill-not-connected-title = Nicht verbunden

## Anmeldekarte

sign-in-title = Wrap-up-Codes live
sign-in-lead = Sehen Sie den Wrap-up-Code jedes Agenten, sobald er ihn abschickt – ohne auf Analytics zu warten.
sign-in-completing = Anmeldung bei { $platform } wird abgeschlossen…
sign-in-button = Bei { $platform } anmelden
sign-in-help-simulator = Dies ist der lokale Simulator: Wählen Sie auf seiner Anmeldeseite einen Benutzer (der Supervisor sieht alle Warteschlangen). Kein Konto nötig.
sign-in-help-genesys = Sie werden zur Anmeldeseite Ihres Genesys Cloud weitergeleitet und danach hierher zurückgebracht. Das Token bleibt nur im Speicher dieses Tabs.

## Feed

feed-title = Wrap-ups
feed-title-imported = Importierte Wrap-ups
feed-rows =
    { $retained ->
        [one] 1 Zeile
       *[other] { $retained } Zeilen
    }
feed-rows-filtered = { $shown } von { $retained } angezeigt
feed-paused =
    Pausiert: { $held ->
        [one] 1 neues Wrap-up
       *[other] { $held } neue Wrap-ups
    } zurückgehalten. Fortsetzen zeigt sie an ihrer Stelle.
feed-empty-filtered = Keine Zeile passt zu diesen Filtern. Filter zurücksetzen, um alle Wrap-ups zu sehen.
feed-empty = Warte auf das erste Wrap-up. Jedes erscheint hier, sobald der Agent es abschickt.
feed-announce-new =
    { $count ->
        [one] 1 neues Wrap-up
       *[other] { $count } neue Wrap-ups
    }

outcome-submitted = Abgeschickt
outcome-timed-out = Zeit abgelaufen
outcome-skipped = Übersprungen
outcome-not-required = Kein Wrap-up
outcome-pending = Im Wrap-up

counts-by-outcome = Angezeigte Zeilen nach Ergebnis
counts-by-code = Angezeigte Zeilen nach Wrap-up-Code
counts-show-only = Nur { $code } anzeigen
code-none = Kein Code
code-unavailable = { $code } (nicht verfügbar)

chart-label = Ergebnisse pro { $bucket }, letzte { $buckets } Intervalle: { $total } Wrap-ups, Spitze { $peak }
chart-caption = pro { $bucket } · Spitze { $peak }
chart-bucket-minute = Minute
chart-bucket-minutes = { $minutes } min
chart-bucket-hours = { $hours } h

## Werkzeugleiste des Feeds

toolbar-label = Filter und Aktionen des Feeds
toolbar-filters = Filter
toolbar-actions = Aktionen
filter-agent = Agent
filter-all-agents = Alle Agenten
filter-queue = Warteschlange
filter-all-queues = Alle Warteschlangen
filter-code = Code
filter-code-label = Wrap-up-Code
filter-all-codes = Alle Codes
filter-outcome = Ergebnis
filter-all-outcomes = Alle Ergebnisse
filter-search = Suche
filter-search-placeholder = Name, Code, Notiz oder Id
filter-search-label = Zeilen durchsuchen
filter-clear = Filter zurücksetzen
toolbar-pause = Pausieren
toolbar-resume = Fortsetzen ({ $held } neu)
toolbar-export-csv = CSV exportieren
toolbar-download-frames = Frames herunterladen
toolbar-download-frames-title = Die empfangenen rohen Benachrichtigungs-Frames, für den Support (wrapup replay liest sie)
toolbar-import-frames = Frames importieren
toolbar-import-frames-title = Einen Frame-Mitschnitt hier als Offline-Feed abspielen

## Feed-Tabelle

col-ended = Beendet
col-media = Medium
col-notes = Notizen
col-acw = ACW
col-arrived = Eingetroffen
col-arrived-title = Zeit vom „Fertig“ des Agenten bis zum Erscheinen der Zeile
row-in-acw = in ACW
row-delay-title = Zeit vom „Fertig“ des Agenten bis zum Erscheinen dieser Zeile
row-unknown-agent = Unbekannter Agent
row-no-queue = Keine Warteschlange
row-not-visible = { $id } · nicht sichtbar
row-recovered = nachgeholt
row-recovered-title = Nach einer Verbindungslücke durch die Lückenwiederherstellung gefunden
code-system-title = { $code }: von Genesys Cloud gesetzt, nicht vom Agenten gewählt
code-unavailable-row = { $code } · gelöscht oder andere Division
code-looking-up-title = { $code }: Name wird nachgeschlagen
code-none-skipped = Agent hat die Nachbearbeitung übersprungen
code-none-not-required = Keine Nachbearbeitung in diesem Abschnitt

media-voice = Sprache
media-callback = Rückruf
media-chat = Chat
media-email = E-Mail
media-message = Nachricht
media-video = Video
media-cobrowse = Co-Browse
media-screenshare = Bildschirmfreigabe
media-other = Sonstiges

## Dateien des Feeds

export-csv-failed = CSV-Export fehlgeschlagen: { $problem }. Der Feed ist unverändert; bitte erneut versuchen.
frames-none-yet = Noch keine Benachrichtigungs-Frames gespeichert: Sie werden ab der Verbindung des Feeds aufgezeichnet.
frames-download-failed = Herunterladen der Frames fehlgeschlagen: { $problem }.
frames-import-failed = Frames importieren: { $problem }. Nichts wurde geändert.
frames-import-partial = Frames importieren: { $message }
frames-import-whole = Frames importieren: Jede Zeile wurde abgespielt.
frames-offline-replay = Offline-Wiedergabe von { $file }: { $frames } Frame(s), { $wrapups } Wrap-up(s), { $pending } noch in Nachbearbeitung. Der Live-Feed läuft dahinter weiter.
frames-back-to-live = Zurück zum Live-Feed

## Sitzungs-Countdown

countdown = Sitzung endet in { $left }
countdown-ended = Sitzung beendet
countdown-ended-spoken = Die Anmeldesitzung ist beendet
countdown-spoken-seconds =
    Die Anmeldesitzung endet in { $seconds ->
        [one] 1 Sekunde
       *[other] { $seconds } Sekunden
    }
countdown-spoken-minutes =
    Die Anmeldesitzung endet in { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    }
countdown-spoken-hours =
    Die Anmeldesitzung endet in { $hours ->
        [one] 1 Stunde
       *[other] { $hours } Stunden
    } { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    }

## Gespeicherter Feed

saved-feed-not-deleted = Der in diesem Browser gespeicherte Feed konnte beim Abmelden nicht gelöscht werden ({ $problem }). Löschen Sie die Daten dieser Website in den Browsereinstellungen, um ihn zu entfernen.

## Was der Feed beobachtet

watch-label = Was der Feed beobachtet
watch-picker-label = Wählen, was der Feed beobachtet
watch-legend = Beobachten
watch-apply = Beobachten
watch-cancel = Abbrechen
watch-close = Schließen
watch-change = Ändern
watch-try-again = Erneut versuchen
watch-mode-my-queues = Meine Warteschlangen
watch-mode-me = Nur meine Gespräche
watch-mode-queues = Ausgewählte Warteschlangen
watch-mode-agents = Ausgewählte Agenten
watch-too-many = { $count } ausgewählt: Ein Benachrichtigungskanal fasst höchstens { $max } Warteschlangen oder Agenten. Bitte weniger wählen.
watch-loading-queues = Warteschlangen werden geladen…
watch-loading-agents = Agenten werden geladen…
watch-filter-queues = Warteschlangen nach Namen filtern
watch-filter-agents = Agenten nach Namen filtern
watch-chosen-queues = { $chosen } von { $all } Warteschlangen ausgewählt
watch-chosen-agents = { $chosen } von { $all } Agenten ausgewählt
watch-more-match = { $more } weitere Treffer: Geben Sie mehr vom Namen ein, um die Liste einzugrenzen.
watch-none-visible-queues = Sie sehen möglicherweise keine Warteschlangen. Bitten Sie einen Administrator um die Berechtigung, sie anzuzeigen.
watch-none-visible-agents = Sie sehen möglicherweise keine Agenten. Bitten Sie einen Administrator um die Berechtigung, sie anzuzeigen.
watching-me = Beobachtet Ihre eigenen Gespräche
watching-my-queues = Beobachtet Ihre Warteschlangen und Ihre eigenen Gespräche
watching-my-named-queues =
    Beobachtet Ihre { $count ->
        [one] 1 Warteschlange
       *[other] { $count } Warteschlangen
    }: { $names }
watching-named-queues =
    Beobachtet { $count ->
        [one] 1 Warteschlange
       *[other] { $count } Warteschlangen
    }: { $names }
watching-chosen-queues =
    Beobachtet { $count ->
        [one] 1 ausgewählte Warteschlange
       *[other] { $count } ausgewählte Warteschlangen
    }
watching-named-agents =
    Beobachtet { $count ->
        [one] 1 Agenten
       *[other] { $count } Agenten
    }: { $names }
watching-chosen-agents =
    Beobachtet { $count ->
        [one] 1 ausgewählten Agenten
       *[other] { $count } ausgewählte Agenten
    }

## Analytics-Bereich

analytics-label = Analytics
tabs-label = Analytics-Ansichten
tab-conversation = Gespräch
tab-history = Verlauf
tab-lag-probe = Verzögerung messen

lookup-pasted-json = eingefügtes JSON
lookup-offline-heading = Offline-Erklärung von { $name }: Es wurde nichts angefragt, die Urteile sind genau die von `wrapup explain`.
lookup-opened-from-feed = Gespräch { $id }, aus dem Feed geöffnet.
lookup-opened-by-id = Gespräch { $id }, per Id geöffnet.
lookup-opened-from-link = Gespräch { $id }, über den Link der Seite geöffnet.
lookup-opened-offline = Gespräch { $id }, offline geöffnet.

lookup-id-label = Gesprächs-Id
lookup-button = Nachschlagen
lookup-sign-in-hint = Melden Sie sich an, um Gespräche nachzuschlagen. Ein Analytics-JSON lässt sich unten auch ohne Anmeldung erklären.
lookup-offline-summary = Ein Analytics-JSON offline erklären
lookup-json-label = Analytics-JSON
lookup-json-placeholder = Inhalt von GET /api/v2/analytics/conversations/{"{"}id{"}"}/details einfügen oder hierher ziehen
lookup-explain-json = JSON erklären
lookup-open-json-file = JSON-Datei öffnen…
lookup-ended-ago = Es endete vor { $duration }
lookup-end-unknown = Das Ende ist noch nicht bekannt
lookup-fetching = { $id } wird nachgeschlagen…
lookup-not-indexed = Noch nicht indiziert: Analytics kennt dieses Gespräch bisher nicht. { $ended }; { $lag }. { $attempts } Versuch(e).
lookup-wrapup-not-indexed = Wrap-up noch nicht indiziert: Der Datensatz ist da, aber noch nicht endgültig (das Wrap-up eines Agentenabschnitts fehlt oder ist noch offen). { $ended }; { $lag }. { $attempts } Versuch(e).
lookup-throttled = Von Genesys Cloud gedrosselt (429): Das Widget soll warten.
lookup-throttled-countdown = gedrosselt, weiter in { $seconds } s
lookup-retry-countdown = Nächster Versuch in { $seconds } s
lookup-failed = Das Nachschlagen ist fehlgeschlagen: { $message }

history-export-no-search = es wurde noch keine Suche ausgeführt
history-export-failed = Export fehlgeschlagen: { $problem }. Die Ergebnisse sind unverändert; bitte erneut versuchen.

## Diagnose: Urteile

verdicts-title = Urteil pro Agentenabschnitt
verdicts-conversation = Gespräch
verdicts-ended = beendet
verdicts-not-ended = noch kein conversationEnd
callback-origin = Herkunft des Rückrufs:
callback-origin-api = über die API angelegt (POST /api/v2/conversations/callbacks): Die Rückrufsitzung des Kunden enthält das früheste Segment des Gesprächs
callback-origin-added = von einem Agenten oder Flow hinzugefügt: Die Rückrufsitzung des Kunden beginnt nach dem Gespräch
callback-origin-unknown = keine oder unbekannt: keine Rückrufsitzung des Kunden im Datensatz
verdict-coded = Mit Code
verdict-timed-out = Zeit abgelaufen
verdict-system-code = Systemcode
verdict-skipped = Übersprungen
verdict-wrapup-without-code = Wrap-up ohne Code
verdict-no-wrapup-phase = Keine Wrap-up-Phase
verdict-not-answered = Nicht angenommen
verdict-in-progress = Noch nicht endgültig
verdict-no-agent = Kein Agent
leg-no-agent = Kein Agentenabschnitt
leg-agent-id = Agent { $id }
leg-agent-no-id = Agent (ohne Benutzer-Id)
leg-code = Code:
leg-note = Notiz:
leg-next = Als Nächstes:
leg-evidence = Belege

## Diagnose: Vergleich mit Echtzeit

realtime-title = Im Vergleich mit der Echtzeitquelle
realtime-asking = Frage die Echtzeit-API…
realtime-not-found = Die Echtzeit-API kennt dieses Gespräch nicht (404): Es ist vielleicht zu alt, in einer anderen Organisation, oder die Id ist falsch.
realtime-failed = Die Echtzeit-API konnte nicht gelesen werden: { $problem }
realtime-participant = Teilnehmer
realtime-col-leg = Agentenabschnitt
realtime-col-analytics = Analytics
realtime-col-realtime = Echtzeit
realtime-col-feed = Feed
realtime-col-finding = Befund
realtime-not-in-record = nicht im Datensatz
realtime-not-seen = nicht gesehen
realtime-attributes-title = Teilnehmerdaten (Echtzeit-Attribute; nicht in Analytics)
realtime-col-key = Schlüssel
realtime-col-value = Wert
col-participant = Teilnehmer

## Diagnose: Zeitleiste

timeline-title = Zeitleiste
timeline-no-start = kein Segmentbeginn im Datensatz
timeline-span = , Dauer { $span }
timeline-chart-label = Segmente von { $count } Teilnehmern auf einer Zeitachse
timeline-open = offen
timeline-bar-code = , Code { $code }
timeline-bar-disconnect = , Trennung { $disconnect }
timeline-legend-open = offen (nicht endgültig)
timeline-legend-wrapup = Wrap-up (Code angezeigt)
timeline-col-metrics = Metriken

## Verzögerung messen

lag-title = Analytics-Verzögerung, hier gemessen
lag-hint = Nimmt das neueste Wrap-up, das der Feed live zeigt, und fragt Analytics alle 5 s danach, bis sein Code da ist; dann das nächste. Immer nur eine Anfrage: höchstens 12 pro Minute aus dem Anfragebudget, das auch der Feed nutzt. Ein Wrap-up, das nach 15 Minuten nicht indiziert ist, zählt als aufgegeben.
lag-start = Analytics-Verzögerung messen
lag-stop = Messung beenden
lag-stats = { $samples } Wrap-up(s) gemessen · p50 { $p50 } · p90 { $p90 } · max { $max }
lag-none-yet = Noch kein Wrap-up gemessen.
lag-waiting-index = Warte, bis Analytics den Code von Gespräch { $id } indiziert (live gesehen vor { $ago }).
lag-waiting-next = Warte auf das nächste abgeschickte Wrap-up im Live-Feed.
lag-off = Aus.
lag-gave-up = { $count } Wrap-up(s) wurden nicht innerhalb von 15 Minuten indiziert.
lag-col-lag = Verzögerung

## Verlauf

history-title = Verlauf: viele Gespräche
history-run-query = Abfrage starten
history-run-job = Als Job starten
history-long-window = Dieses Zeitfenster ist länger als ein Tag: Ein asynchroner Job liest es in einem Durchgang.
history-export-ndjson = NDJSON exportieren
history-export-note = Exporte werden Seite für Seite geschrieben, während die Ergebnisse eintreffen.
history-any = Beliebig
history-any-queue = Beliebige Warteschlange
history-any-agent = Beliebiger Agent
history-any-media = Beliebiges Medium
history-wrapup = Wrap-up
history-code-present = Code vorhanden
history-code-absent = Code fehlt (null)
history-code-option = Code: { $name }
history-code-timeout = ININ-WRAP-UP-TIMEOUT (Zeit abgelaufen)
history-ended-only = Nur beendete
history-page-size = Seitengröße
history-col-started = Begonnen (UTC)
history-col-data = Daten
history-final = endgültig
history-not-final = nicht endgültig
history-not-final-title = Nach dem Datenverfügbarkeitsdatum oder noch offen: Dieser Datensatz kann sich ändern
history-chart-label = Urteile über { $total } Agentenabschnitt(e)
history-chart-caption = Urteile pro Agentenabschnitt · { $total } Abschnitt(e)

window-legend = Zeitfenster (UTC)
window-from = Von
window-to = Bis
window-from-utc = Von (UTC)
window-to-utc = Bis (UTC)
window-last-hour = Letzte Stunde
window-today = Heute (UTC)
window-last-7-days = Letzte 7 Tage
window-not-a-date = { $field } „{ $text }“ ist kein Datum mit Uhrzeit wie 2026-11-30T07:00 (UTC)
window-backwards = Das Zeitfenster endet, bevor es beginnt: „Bis“ muss nach „Von“ liegen.
window-days = { $first } bis { $last }
window-rule-query = Intervallabfrage: Genesys liefert jedes Gespräch, das an einem UTC-Tag begann, den das Zeitfenster berührt (hier { $days }), nicht nur die im Zeitfenster. Das Widget fragt einen UTC-Tag nach dem anderen ab und behält die Gespräche, die im Zeitfenster begannen; die übrigen zählen als „außerhalb des Zeitfensters“.
window-rule-job = Asynchroner Job: jedes Gespräch mit Aktivität im Zeitfenster, soweit der Data Lake es hat (sein Datenverfügbarkeitsdatum); besser für lange Zeitfenster.

run-kind-query = Intervallabfrage
run-kind-job = asynchroner Job
run-running = läuft
run-cancelling = wird abgebrochen…
run-finished = fertig
run-failed = fehlgeschlagen
run-cancelled = abgebrochen
run-cancelled-job = abgebrochen (Job { $state })
run-stage-day = UTC-Tag { $day } von { $days }
run-stage-starting = startet
run-stage-creating-job = Job wird angelegt
run-stage-job-created = Job angelegt
run-stage-job = Job { $state }
run-job-id = Job { $id }
run-unavailable-countdown = { $why }; neuer Versuch in { $seconds } s
run-counts = { $conversations } Gespräche · { $records } Datensätze in { $pages } Seite(n) gelesen
run-outside-window = { $count } außerhalb des Zeitfensters (Tagesregel)
run-duplicates = { $count } auf verschobenen Seiten wiederholt, einmal behalten
run-availability = Datenverfügbarkeitsdatum:
run-availability-after = (UTC). Spätere Gespräche sind noch nicht endgültig und in der Tabelle markiert.
run-progress-label = Suchfortschritt
run-percent-done = { $percent } % erledigt
run-window = Zeitfenster { $window }

## The page around the panels (src/app/mod.rs)

app-cannot-start = wrapup-live kann nicht starten: { $problem }
app-popup-handed-back = Angemeldet. Dieses Fenster schließt sich selbst; falls nicht, schließen Sie es und kehren Sie zu Genesys Cloud zurück.
notice-sign-in-again = Erneut anmelden
notice-renew-button = Anmeldung erneuern
notice-renew = { $why }Ihre Anmeldung endet in wenigen Minuten und kann nicht im Hintergrund erneuert werden. Erneuern Sie sie jetzt, damit der Feed live bleibt: Sie durchlaufen kurz die Anmeldeseite und kommen direkt zurück.
notice-rejected-topics = Genesys Cloud hat { $count ->
        [one] ein Thema
       *[other] { $count } Themen
    } nicht abonniert; diese Warteschlangen oder Agenten werden daher nicht beobachtet (Grund in Klammern; bitten Sie einen Admin um die fehlende Berechtigung): { $topics }
notice-malformed = { $count ->
        [one] Eine unlesbare Benachrichtigung übersprungen
       *[other] { $count } unlesbare Benachrichtigungen übersprungen
    }; der Feed läuft weiter. Zuletzt: { $reason }
notice-session-ended = Ihre Anmeldung hat das Ende ihrer Laufzeit erreicht. Melden Sie sich erneut an, damit der Feed live bleibt; bereits angezeigte Zeilen bleiben.
watch-choices-failed = Die Warteschlangen und Agenten zur Auswahl konnten nicht geladen werden: { $error }

## Interaktions-Widget (die kompakte Ansicht eines Gesprächs neben der Client-App)

interaction-unusable-id = Die Host-Anwendung hat diesem Widget eine Gesprächs-Id übergeben, die es nicht verwenden kann. { $problem }
interaction-not-found = Genesys Cloud hat kein für Sie sichtbares Gespräch { $id } (404). Prüfen Sie das Gespräch, für das das Widget geöffnet wurde; ist es gerade erst beendet, indiziert Analytics es vielleicht noch, und das Widget sucht weiter.
interaction-realtime-failed = Das laufende Gespräch konnte nicht gelesen werden: { $problem }
interaction-facts-started = Begonnen
interaction-facts-ended = Beendet
interaction-facts-still-going-on = läuft noch
interaction-facts-customer = Kunde
interaction-facts-no-ani = keine Rufnummer
interaction-facts-contact = Kontakt
interaction-legs-title = Agentenabschnitte
interaction-legs-none = Noch kein Agentenabschnitt.
interaction-leg-agent-unknown = Agent (Name unbekannt)
interaction-leg-from-feed = Aus dem Live-Feed
interaction-leg-from-realtime = Aus dem Echtzeit-Gespräch, wie beim Öffnen gelesen
interaction-leg-code = Code:
interaction-leg-analytics = Analytics:
interaction-leg-not-indexed = Analytics: noch nicht indiziert
interaction-live-connected = Im Gespräch
interaction-live-pending = Im Wrap-up (offen)
interaction-live-submitted = Abgeschickt
interaction-live-timed-out = Zeit abgelaufen
interaction-live-skipped = Übersprungen
interaction-live-not-required = Kein Wrap-up nötig
interaction-live-ended = Beendet, noch kein Wrap-up gesehen
interaction-context-customer-title = Die letzten Gespräche des Kunden
interaction-context-agent-title = Die letzten Wrap-ups des Agenten
interaction-context-loading = Wird geladen…
interaction-context-retry = Neuer Versuch in { $seconds } s.
interaction-context-empty = Keine in den letzten { $days } Tagen (Analytics indiziert ein Gespräch ein bis zwei Minuten nach seinem Ende).
interaction-context-agent-unknown = Agent
interaction-context-no-code = kein Code
interaction-no-ani = Für dieses Gespräch ist keine Rufnummer (ANI) bekannt, daher lässt sich der Verlauf des Kunden nicht nachschlagen.
interaction-no-ani-media = Gespräche vom Typ { $media } haben keine Rufnummer (ANI), daher lässt sich der Verlauf des Kunden nicht darüber nachschlagen.
interaction-no-agent-yet = Diesem Gespräch ist noch kein Agent beigetreten, daher gibt es keine Wrap-ups zu zeigen.

## Die geteilte Verbindung (eine pro Browser, über Tabs und Frames hinweg)

link-role-paused = Von Genesys Cloud pausiert: Der Feed holt auf, sobald die App wieder angezeigt wird.
link-role-leading = Dieses Fenster hält die Verbindung; andere wrapup-live-Fenster dieses Browsers nutzen sie mit.
link-role-following = Nutzt die Verbindung eines anderen wrapup-live-Fensters; dieses übernimmt, wenn jenes geschlossen wird.

## Meldungen (Toasts) in der Oberfläche von Genesys Cloud

host-toast-submitted-title = Wrap-up abgeschickt
host-toast-submitted = { $agent }: { $code }
host-toast-timed-out-title = Wrap-up: Zeit abgelaufen
host-toast-timed-out = { $agent } hat nicht rechtzeitig einen Wrap-up-Code gewählt; Genesys Cloud hat den Timeout-Code gesetzt.
host-toast-many-title = { $count } Wrap-ups
host-toast-many = { $submitted } abgeschickt, { $timed_out } mit abgelaufener Zeit.
host-toast-an-agent = Ein Agent
host-toast-no-code = kein Code

## Saving the feed in this browser (src/services/store.rs)

store-not-saved = Dieser Browser hat das Speichern des Feeds abgelehnt ({ $problem }); der Feed läuft weiter, aber nach einem Neuladen beginnt er leer.
store-not-saved-framed = In Genesys Cloud gibt dieser Browser eingebetteten Apps keinen Websitespeicher, daher wird der Feed hier nicht gespeichert: nach einem Neuladen beginnt er leer. Solange die Seite offen bleibt, geht nichts verloren.
