# The seed's LvnfDeploy application (examples/lvnf-deploy/README.md) on
# libnfp, built as $(BUILD)/lvnf_deploy.
BINS += lvnf_deploy
$(BUILD)/lvnf_deploy: $(BUILD)/obj/examples/lvnf-deploy/lvnf_deploy.o $(BUILD)/libnfp.a
	$(CC) $(LDFLAGS) $^ $(LIBNFP_LDLIBS) -o $@
