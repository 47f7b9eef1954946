"""How large a post each page takes. Forms take MAX_CONTENT_LENGTH; a page that takes a file says how much more it
takes with `takes_posts_up_to`, so that a file over its own limit gets that page's message with the answers kept,
not the general "too large" page (portal/app.py refuses larger posts before reading them)."""


def takes_posts_up_to(limit: int):
    """Mark a view as taking posts of up to `limit` bytes (put it under the route decorator)."""

    def mark(view):
        view.largest_post = limit
        return view

    return mark


def largest_post(view, default: int) -> int:
    return getattr(view, "largest_post", default)
