"""The opportunities views: kanban board, grouped list, filter bar, close dialogs."""
