// Live caption page: reads the service's server-sent caption events and shows each call as a
// conversation. A partial caption updates its turn in place; the final caption replaces it.
(function () {
  const token = new URLSearchParams(location.search).get('access_token');
  const suffix = token ? '?access_token=' + encodeURIComponent(token) : '';
  const callsEl = document.getElementById('calls');
  const statusEl = document.getElementById('status');
  const calls = new Map();

  function clock(ms) {
    const s = Math.max(0, Math.floor((ms || 0) / 1000));
    return String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  }

  function callView(callId) {
    let view = calls.get(callId);
    if (view) return view;
    document.getElementById('empty')?.remove();
    const el = document.createElement('section');
    el.className = 'call';
    el.dataset.callId = callId;
    el.innerHTML = '<h2></h2><div class="meta"></div><div class="turns"></div>';
    el.querySelector('h2').textContent = 'Call ' + callId;
    callsEl.prepend(el);
    view = { el, turns: el.querySelector('.turns'), meta: el.querySelector('.meta'), segments: new Map() };
    calls.set(callId, view);
    return view;
  }

  function showCaption(e) {
    const view = callView(e.callId);
    const key = e.legId + '/' + e.segmentId;
    let turn = view.segments.get(key);
    if (!turn) {
      turn = document.createElement('div');
      turn.innerHTML = '<span class="who"></span><span class="text"></span>';
      view.segments.set(key, turn);
      view.turns.appendChild(turn);
    } else if (!turn.classList.contains('partial')) {
      return; // a final is never replaced by a late partial
    }
    const role = (e.role || 'unknown').toLowerCase();
    turn.className = 'turn ' + role + ' ' + (e.isPartial ? 'partial' : 'final');
    if (!e.isPartial && !e.text) {
      turn.remove(); // the rescoring withdrew what the partials said; the map still blocks late partials
      return;
    }
    turn.dataset.segmentId = e.segmentId;
    turn.querySelector('.who').textContent = role + ' · ' + clock(e.startMs);
    turn.querySelector('.text').textContent = e.text || '';
    view.turns.scrollTop = view.turns.scrollHeight;
  }

  function handle(e) {
    switch (e.eventType) {
      case 'CALL_STARTED':
        callView(e.callId).meta.textContent =
          (e.callerNumber || '?') + ' → ' + (e.calledNumber || '?') + ' · started ' + new Date(e.startTime).toLocaleTimeString();
        break;
      case 'PARTIAL_CAPTION':
      case 'FINAL_CAPTION':
        showCaption(e);
        break;
      case 'CALL_ENDED': {
        const view = callView(e.callId);
        view.el.classList.add('ended');
        view.meta.textContent += ' · ended' + (e.reason ? ' (' + e.reason + ')' : '');
        break;
      }
      case 'LEG_ERROR': {
        const note = document.createElement('div');
        note.className = 'notice';
        note.textContent = (e.role || 'leg').toLowerCase() + ' ' + e.legId + ': ' + e.code + ' (' + e.message + ')';
        callView(e.callId).turns.appendChild(note);
        break;
      }
    }
  }

  // The feed starts with what the calls in progress said so far: drop the calls shown before a reconnect.
  let lostSince = null;
  const source = new EventSource('api/events' + suffix);
  source.onopen = () => {
    statusEl.textContent = 'live';
    lostSince = null;
    calls.forEach((view) => view.el.remove());
    calls.clear();
  };
  source.onerror = () => {
    lostSince = lostSince || Date.now();
    // the browser keeps retrying; after a few seconds without the service, say so plainly
    statusEl.textContent = Date.now() - lostSince < 5000 ? 'reconnecting…'
      : 'the captioning service has stopped or cannot be reached (still retrying)';
  };
  source.onmessage = (msg) => handle(JSON.parse(msg.data));
})();
