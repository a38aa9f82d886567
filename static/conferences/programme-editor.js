'use strict';
// The programme editor: adds a session to a day, or a speaker to a session, from the page's
// blank forms, and lets the admin's autocomplete take over the new fields.
{
    function addFromTemplate(template, placeholder, total, container) {
        const index = total.value;
        container.insertAdjacentHTML('beforeend', template.innerHTML.replaceAll(placeholder, index));
        total.value = Number(index) + 1;
        const added = container.lastElementChild;
        added.dispatchEvent(new CustomEvent('formset:added', {bubbles: true}));
        return added;
    }

    function addSession(button) {
        const section = button.closest('[data-day]');
        const container = section
            ? section.querySelector('[data-sessions]')
            : document.querySelector('[data-unlisted-sessions]');
        const added = addFromTemplate(
            document.getElementById('blank-session'),
            '__session__',
            document.getElementById('id_sessions-TOTAL_FORMS'),
            container
        );
        const day = added.querySelector('[name$="-day"]');
        if (day && button.dataset.addSession) {
            day.value = button.dataset.addSession;
        }
        added.querySelector('input[name$="-title"]').focus();
    }

    function addSpeaker(button) {
        const session = button.closest('[data-session]');
        const prefix = session.dataset.prefix;
        const speakers = session.querySelector('[data-speakers-of="' + prefix + '"]');
        const added = addFromTemplate(
            speakers.querySelector('template[data-speaker-template]'),
            '__speaker__',
            speakers.querySelector('[name="' + prefix + '-speakers-TOTAL_FORMS"]'),
            speakers.querySelector('[data-speakers]')
        );
        const first = added.querySelector('select, input:not([type=hidden])');
        if (first) {
            first.focus();
        }
    }

    document.addEventListener('click', (event) => {
        const session = event.target.closest('[data-add-session]');
        if (session) {
            addSession(session);
            return;
        }
        const speaker = event.target.closest('[data-add-speaker]');
        if (speaker) {
            addSpeaker(speaker);
        }
    });
}
