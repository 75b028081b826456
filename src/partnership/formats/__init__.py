"""The site's one date style (FORMAT_MODULE_PATH): full dates as the partial dates write them."""
