"""Liaison's rules (docs/security.md): a matter and its files are seen by whom
`Matter.objects.visible_to(user)` names — the single matter access rule."""
import rules

from portal.rules import in_queryset, is_official, scoped

from .models import Matter

matter_visible = in_queryset("matter_visible", lambda user, manager: manager.visible_to(user))
scoped("liaison.view_matter", matter_visible)


@rules.predicate
def attachment_matter_visible(user, attachment):
    return attachment is not None and Matter.objects.visible_to(user).filter(pk=attachment.matter_id).exists()


@rules.predicate
def attachment_is_public(user, attachment):
    return attachment is not None and attachment.is_public


# Officials open every file of a matter they see; an enterprise only the files marked public of
# its own matters (the tracking-number session grant is checked by the download view itself).
rules.add_perm("liaison.view_matterattachment",
               attachment_matter_visible & (is_official | attachment_is_public))
