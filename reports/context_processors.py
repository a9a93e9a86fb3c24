import functools

from reports.summaries.todo import count_for


def worklist(request):
    """The number of things the user has to do, for the navigation's "Việc cần làm": computed
    when a page shows it (a template calls it), once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"worklist_count": functools.cache(lambda: count_for(user, request))}
