'use strict';
// The programme editor: adds a session to a day, or a speaker to a session, from the page's
// blank forms, and lets the admin's autocomplete take over the new fields.
{
    // The admin's autocomplete (select2) names its boxes after the choice made, so an empty
    // one has no name: each is named by its field's label as well.
    function labelAutocompletes(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            const label = document.querySelector('label[for="' + select.id + '"]');
            const container = select.nextElementSibling;
            if (!label || !container || !container.classList.contains('select2')) {
                return;
            }
            label.id = label.id || select.id + '-label';
            // A single choice's box reads as its label and the choice made.
            const rendered = document.getElementById('select2-' + select.id + '-container');
            const box = container.querySelector('.select2-selection');
            if (rendered) {
                rendered.setAttribute('aria-labelledby', label.id + ' ' + rendered.id);
            }
            if (box) {
                box.setAttribute(
                    'aria-labelledby',
                    rendered ? label.id + ' ' + rendered.id : label.id
                );
            }
            container.querySelectorAll('.select2-search__field').forEach((field) => {
                field.setAttribute('aria-labelledby', label.id);
            });
        });
    }

    function addFromTemplate(template, placeholder, total, container) {
        const index = total.value;
        container.insertAdjacentHTML('beforeend', template.innerHTML.replaceAll(placeholder, index));
        total.value = Number(index) + 1;
        const added = container.lastElementChild;
        added.dispatchEvent(new CustomEvent('formset:added', {bubbles: true}));
        labelAutocompletes(added);
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

    // Runs after the admin's autocomplete.js (loaded before this file) has set them up.
    django.jQuery(() => labelAutocompletes(document));

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
