"""What every filtered listing page shares."""


class FilteredListingMixin:
    """A page whose listing is filtered by query parameters (its context holds ``filter_errors``).

    Invalid parameters make the response a 400; the page still renders, with the errors next to the form.
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data.get("filter_errors"):
            response.status_code = 400
        return response
