"""HTML templates are read without their indentation; what whitespace means is kept."""

from django.template import engines

from core.template_loaders import trim_indentation


def test_trim_indentation_drops_blanks_around_line_breaks():
    source = "<ul>\n  {% for x in xs %}\n    <li>{{ x }}</li>  \n\n  {% endfor %}\n</ul>\n"

    assert (
        trim_indentation(source) == "<ul>\n{% for x in xs %}<li>{{ x }}</li>\n{% endfor %}</ul>\n"
    )


def test_trim_indentation_keeps_pre_textarea_script_verbatim_and_translations():
    kept = [
        "<pre>\n  a\n    b\n</pre>",
        '<textarea name="t">\n  a\n</textarea>',
        "<script>\n  let a = `\n    b`;\n</script>",
        "{% verbatim %}\n  {{ a }}\n{% endverbatim %}",
        "{% blocktranslate %}Hello\n    {{ name }}{% endblocktranslate %}",
    ]
    for part in kept:
        assert trim_indentation(f"<div>\n  {part}\n</div>") == f"<div>\n{part}\n</div>"


def test_site_reads_templates_through_the_cached_trimming_loaders():
    (cached,) = engines["django"].engine.template_loaders
    loaders = [type(loader).__name__ for loader in cached.loaders]

    assert type(cached).__module__ == "django.template.loaders.cached"
    assert loaders == ["FilesystemLoader", "AppDirectoriesLoader"]


def test_html_templates_are_trimmed_and_text_templates_read_as_written():
    (cached,) = engines["django"].engine.template_loaders
    html = cached.get_template("conferences/conference_detail.html")
    text = cached.get_template("account/email/base_notification.txt")

    assert "\n  " not in html.source
    with open(html.origin.name, encoding="utf-8") as source:
        assert "\n  " in source.read()
    with open(text.origin.name, encoding="utf-8") as source:
        assert text.source == source.read()
