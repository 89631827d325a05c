"""Where finops-lint meets code review: GitHub and GitLab pull/merge request comments."""
