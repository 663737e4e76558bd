# Allocates without bound in init(), as a script loading a model too large for its memory limit would.
def init():
    blocks = []
    while True:
        blocks.append(bytearray(8 * 1024 * 1024))


def run(raw_data):
    return raw_data
