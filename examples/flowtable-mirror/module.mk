# The flowtable mirror example (examples/flowtable-mirror/README.md): an
# application on libnfp, built as $(BUILD)/ft_mirror_app.
BINS += ft_mirror_app
$(BUILD)/ft_mirror_app: $(BUILD)/obj/examples/flowtable-mirror/ft_mirror_app.o $(BUILD)/libnfp.a
	$(CC) $(LDFLAGS) $^ $(LIBNFP_LDLIBS) -o $@
