from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from municipia.accounts import services
from municipia.accounts.forms import ProfileForm


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.update_profile(request.user, data=form.cleaned_data)
        if form.cleaned_data["new_email"]:
            services.request_email_change(request, user, form.cleaned_data["new_email"])
            messages.info(request, _("Follow the link we sent to your new address to confirm it."))
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie("municipia_language", user.language, samesite="Lax")
        return response
    return render(request, "accounts/profile_form.html", {"form": form})
