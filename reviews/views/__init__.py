"""The review screens, split by what the person is doing; each view is form in, one service call, out."""
