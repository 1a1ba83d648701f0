from infobus.lib.markdown import render_markdown


def test_markdown_renders_the_safe_subset():
    html = render_markdown("## Rights\n\n- **ask** for a *lawyer*\n- [call](tel:0787270186)")
    assert "<h2>Rights</h2>" in html
    assert "<strong>ask</strong>" in html
    assert "<em>lawyer</em>" in html
    assert '<a href="tel:0787270186">call</a>' in html


def test_raw_html_typed_in_the_admin_is_shown_as_text_never_run():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(1)">')
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_not_rendered_as_links():
    html = render_markdown("[click](javascript:alert(1)) [data](data:text/html,hi)")
    assert "href" not in html


def test_markdown_images_are_not_loaded_from_anywhere():
    html = render_markdown("![map](https://tracker.example/pixel.png)")
    assert "<img" not in html


def test_headings_start_below_the_pages_own_title_without_skipping_a_level():
    html = render_markdown("# Asylum\n\n## Dublin\n\n###### Small")
    assert "<h2>Asylum</h2>" in html
    assert "<h3>Dublin</h3>" in html
    assert "<h6>Small</h6>" in html
    assert "<h1>" not in html
    assert "<h2>Steps</h2>" in render_markdown("### Steps\n\n#### Then")
