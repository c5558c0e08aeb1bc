print("convnext")
