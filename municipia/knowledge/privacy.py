"""Who wrote experiences and uploaded their files."""

from municipia.privacy import registry as privacy

privacy.actors("knowledge.Experience", "created_by")
privacy.actors("knowledge.Attachment", "uploaded_by")
