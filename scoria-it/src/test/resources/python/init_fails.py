def init():
    load_settings()


def load_settings():
    raise FileNotFoundError("settings.yaml is missing from the source directory")


def run(raw_data):
    return raw_data
