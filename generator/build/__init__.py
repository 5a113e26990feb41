"""The build machinery: runs the registered builders, incrementally, and publishes ``site/`` all or nothing."""
