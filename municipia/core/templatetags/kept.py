"""Parts of a logged-in reader's page kept in the cache (`pagecache.for_reader`).

    {% load kept %}{% kept_for_reader "header" %}…{% endkept_for_reader %}
    {% kept_for_reader "reviews" "calls" "calls:private" %}…{% endkept_for_reader %}

The part is rendered once per reader, URL, language and generation of the accounts' tables (and
of the scopes named after the part's name: the tables it shows), and read back on their next
pages: a header's menus cost more to render than many pages' own content. A view that passes
the part's rows as a lazy object (a query set, a callable) makes no query when it is read back.
A CSRF token inside (the log-out form's) is rendered as a placeholder, and this request's token
is put in its place every time, so the kept HTML holds no secret.
"""

import functools

from django import template
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from municipia.core import pagecache

register = template.Library()


@functools.cache
def csrf_placeholder() -> str:
    """The same in every process (they share the cache), and unknown outside: a URL or a name
    shown in the part cannot carry it to have the token put there. Hex digits only: the CSRF tag
    escapes what it renders, and this must come out as it is."""
    return "csrf" + salted_hmac("municipia.kept.csrf", "placeholder").hexdigest()[:32]


class KeptForReaderNode(template.Node):
    def __init__(self, name, scopes, nodelist):
        self.name, self.scopes, self.nodelist = name, scopes, nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)

        def build() -> str:
            with context.push(csrf_token=csrf_placeholder()):
                return self.nodelist.render(context)

        name = f"tag:{self.name.resolve(context)}"
        scopes = [scope.resolve(context) for scope in self.scopes]
        html = pagecache.for_reader(request, name, build, scopes)
        placeholder = csrf_placeholder()
        if placeholder not in html:
            return html
        token = context.get("csrf_token")
        return mark_safe(html.replace(placeholder, str(token)))  # noqa: S308 (a token, our HTML)


@register.tag("kept_for_reader")
def kept_for_reader(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs the part's name")
    nodelist = parser.parse(("endkept_for_reader",))
    parser.delete_first_token()
    name, *scopes = (parser.compile_filter(bit) for bit in bits[1:])
    return KeptForReaderNode(name, scopes, nodelist)
