"""The checklist a guide is built around: concrete items someone owns and can verify."""

from wagtail import blocks


class ChecklistItemBlock(blocks.StructBlock):
    item = blocks.CharBlock(help_text="What to do, as an instruction.")
    why = blocks.TextBlock(help_text="Why it matters.")
    owner = blocks.CharBlock(required=False, help_text="Who is responsible.")
    verify = blocks.TextBlock(required=False, label="How to verify", help_text="How to check it is done.")

    class Meta:
        icon = "tick"
        template = "guides/blocks/checklist_item.html"


class ChecklistBlock(blocks.StreamBlock):
    item = ChecklistItemBlock()
