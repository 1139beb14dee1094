"""StreamField blocks for the portal's content pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
        help_text=_("Use heading 2 for a section and heading 3 inside one, so screen readers can follow."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "learningcity/blocks/heading.html"


def _request_of(context) -> object | None:
    return (context or {}).get("request")


def _absolute(url: str | None, context) -> str | None:
    request = _request_of(context)
    return request.build_absolute_uri(url) if url and request is not None else url


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describes the image for residents who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "learningcity/blocks/image.html"

    def get_api_representation(self, value, context=None):
        """The image itself (alt text, renditions), not an id of the images endpoint, which is not public."""
        from .api import image_out

        return {
            "image": image_out(value["image"], value["alt_text"], _request_of(context)),
            "alt_text": value["alt_text"],
            "caption": value["caption"],
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "learningcity/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("external link"), required=False)
    button_label = blocks.CharBlock(label=_("button label"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "learningcity/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose either a page or an external link.")
            raise StructBlockValidationError(block_errors={"page": ValidationError(message)})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        page = value.get("page")
        context["href"] = page.localized.url if page else value.get("url")
        return context

    def get_api_representation(self, value, context=None):
        """Where the button leads, as the page's link does (the page in its visitor's language)."""
        page = value.get("page")
        return {
            "title": value["title"],
            "text": value["text"],
            "page": page.pk if page else None,
            "url": _absolute(page.localized.url if page else value.get("url"), context),
            "button_label": value["button_label"],
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"), required=False, max_length=200, help_text=_("Defaults to the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "learningcity/blocks/document.html"

    def get_api_representation(self, value, context=None):
        """The link the page shows: its text, the file's address, type and size."""
        document = value["document"]
        if document is None:
            return None
        return {
            "title": value["title"] or document.title,
            "url": _absolute(document.url, context),
            "file_extension": document.file_extension,
            "file_size": document.file_size,
        }


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), template="learningcity/blocks/paragraph.html")
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentBlock()
